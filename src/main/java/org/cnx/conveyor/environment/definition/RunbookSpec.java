package org.cnx.conveyor.environment.definition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.cnx.conveyor.common.Role;

/**
 * A named, parameterised task of an environment: a shell command run on the hosts of some roles, all at once or one
 * host at a time; who may run it, and a phrase to type for dangerous ones. Parameters reach the command as
 * environment variables, never as command text. Instead of a command, {@code copyDatabaseFrom} names an environment
 * whose newest scrubbed snapshot replaces this environment's database. {@code sharedFrom} names the file under {@code environments/runbooks/}
 * of a shared runbook the definition took with {@code use:}.
 */
public record RunbookSpec(
        String name,
        String description,
        List<String> roles,
        String command,
        boolean oneAtATime,
        Role role,
        Optional<String> confirm,
        Map<String, Parameter> parameters,
        Optional<Schedule> schedule,
        Optional<String> copyDatabaseFrom,
        Optional<String> sharedFrom) {

    public RunbookSpec {
        roles = List.copyOf(roles);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** This shared runbook as an environment takes it: under its own name, remembering the file it came from. */
    RunbookSpec usedAs(String environmentName, String file) {
        return new RunbookSpec(
                environmentName,
                description,
                roles,
                command,
                oneAtATime,
                role,
                confirm,
                parameters,
                schedule,
                copyDatabaseFrom,
                Optional.of(file));
    }

    /** True for the built-in action that replaces the environment's database with a scrubbed copy of another's. */
    public boolean copiesDatabase() {
        return copyDatabaseFrom.isPresent();
    }

    /** What a parameter's value may be. */
    public enum Type {
        STRING,
        ENUM,
        BOOLEAN,
        INTEGER,
        /** Text never shown back: masked in the audit entry, the job's reason, its log and its events. */
        SECRET;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One typed parameter; {@code required} ones without a default must be given. */
    public record Parameter(
            String name,
            Type type,
            Optional<String> pattern,
            List<String> values,
            Optional<Long> min,
            Optional<Long> max,
            Optional<String> defaultValue,
            boolean required) {

        public Parameter {
            values = List.copyOf(values);
        }

        public boolean secret() {
            return type == Type.SECRET;
        }

        /** Why {@code value} is not acceptable, or empty when it is. */
        public Optional<String> problem(String value) {
            String expected = switch (type) {
                case STRING, SECRET -> pattern.map(p -> "text matching " + p).orElse("text");
                case ENUM -> "one of " + String.join(", ", values);
                case BOOLEAN -> "true or false";
                case INTEGER ->
                    "a whole number" + min.map(m -> " from " + m).orElse("")
                            + max.map(m -> " to " + m).orElse("");
            };
            boolean ok = switch (type) {
                case STRING, SECRET ->
                    value.length() <= 1000
                            && !value.contains("\0")
                            && pattern.map(p ->
                                            Pattern.compile(p).matcher(value).matches())
                                    .orElse(true);
                case ENUM -> values.contains(value);
                case BOOLEAN -> value.equals("true") || value.equals("false");
                case INTEGER -> integerWithin(value);
            };
            if (ok) {
                return Optional.empty();
            }
            return Optional.of(
                    name + ": expected " + expected + (type == Type.SECRET ? "" : ", found \"" + value + "\""));
        }

        private boolean integerWithin(String value) {
            if (!value.matches("-?[0-9]{1,18}")) {
                return false;
            }
            long n = Long.parseLong(value);
            return min.map(m -> n >= m).orElse(true) && max.map(m -> n <= m).orElse(true);
        }
    }
}
