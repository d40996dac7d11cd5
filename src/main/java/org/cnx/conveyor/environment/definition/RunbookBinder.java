package org.cnx.conveyor.environment.definition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.RunbookSpec.Parameter;
import org.cnx.conveyor.environment.definition.RunbookSpec.Type;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Binds the optional {@code runbooks} mapping: name → command, roles, parameters, who may run it. */
final class RunbookBinder {

    static final List<String> KEYS =
            List.of("description", "roles", "command", "oneAtATime", "role", "confirm", "parameters", "schedule");
    static final List<String> PARAMETER_KEYS =
            List.of("type", "pattern", "values", "min", "max", "default", "required");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern PARAMETER = Pattern.compile("[A-Z][A-Z0-9_]{0,62}");

    private final Problems problems;
    private final List<Host> hosts;

    RunbookBinder(Problems problems, List<Host> hosts) {
        this.problems = problems;
        this.hosts = hosts;
    }

    Map<String, RunbookSpec> bind(Optional<Node> node) {
        Map<String, RunbookSpec> runbooks = new LinkedHashMap<>();
        if (node.isEmpty()) {
            return runbooks;
        }
        Optional<MappingFields> all =
                MappingFields.of(node.get(), "runbooks", "a mapping of runbook names", null, problems);
        for (NodeTuple entry : all.map(MappingFields::entries).orElse(List.of())) {
            String name = ((ScalarNode) entry.getKeyNode()).getValue();
            String path = "runbooks." + name;
            if (!NAME.matcher(name).matches()) {
                YamlValues.expected(problems, entry.getKeyNode(), path, "a runbook name like restart-webview");
                continue;
            }
            MappingFields.of(entry.getValueNode(), path, "a mapping of runbook settings", KEYS, problems)
                    .flatMap(fields -> runbook(name, fields))
                    .ifPresent(runbook -> runbooks.put(name, runbook));
        }
        return runbooks;
    }

    private Optional<RunbookSpec> runbook(String name, MappingFields fields) {
        Optional<String> command = fields.requiredText("command", "a shell command");
        List<String> roles = new ArrayList<>();
        Optional<Node> rolesNode = fields.required("roles", "a list of host roles");
        List<String> known =
                hosts.stream().flatMap(h -> h.roles().stream()).distinct().toList();
        if (rolesNode.isPresent()) {
            if (rolesNode.get() instanceof SequenceNode list && !list.getValue().isEmpty()) {
                for (int i = 0; i < list.getValue().size(); i++) {
                    Node item = list.getValue().get(i);
                    String itemPath = fields.path("roles") + "[" + i + "]";
                    YamlValues.text(item, itemPath, "a role some host has", problems)
                            .filter(role -> {
                                boolean ok = known.contains(role);
                                if (!ok) {
                                    YamlValues.expected(
                                            problems,
                                            item,
                                            itemPath,
                                            "a role some host has (" + String.join(", ", known) + ")");
                                }
                                return ok;
                            })
                            .ifPresent(roles::add);
                }
            } else {
                YamlValues.expected(problems, rolesNode.get(), fields.path("roles"), "a non-empty list of host roles");
            }
        }
        boolean oneAtATime = fields.value("oneAtATime")
                .flatMap(n -> YamlValues.text(n, fields.path("oneAtATime"), "true or false", problems))
                .map(Boolean::parseBoolean)
                .orElse(false);
        Role role = fields.value("role")
                .flatMap(n -> YamlValues.text(n, fields.path("role"), "developer, lead or admin", problems)
                        .flatMap(text -> {
                            Optional<Role> parsed = List.of(Role.DEVELOPER, Role.LEAD, Role.ADMIN).stream()
                                    .filter(r -> r.name().equalsIgnoreCase(text))
                                    .findFirst();
                            if (parsed.isEmpty()) {
                                YamlValues.expected(problems, n, fields.path("role"), "developer, lead or admin");
                            }
                            return parsed;
                        }))
                .orElse(Role.DEVELOPER);
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        fields.value("parameters")
                .flatMap(n ->
                        MappingFields.of(n, fields.path("parameters"), "a mapping of parameter names", null, problems))
                .ifPresent(all -> all.entries().forEach(tuple -> {
                    String parameter = ((ScalarNode) tuple.getKeyNode()).getValue();
                    String path = all.path() + "." + parameter;
                    if (!PARAMETER.matcher(parameter).matches()) {
                        YamlValues.expected(
                                problems, tuple.getKeyNode(), path, "a parameter name like MODE (it becomes $MODE)");
                        return;
                    }
                    MappingFields.of(tuple.getValueNode(), path, "a mapping with type", PARAMETER_KEYS, problems)
                            .flatMap(p -> parameter(parameter, p))
                            .ifPresent(p -> parameters.put(parameter, p));
                }));
        if (command.isEmpty() || roles.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RunbookSpec(
                name,
                fields.text("description", "a sentence").orElse(""),
                roles,
                command.get(),
                oneAtATime,
                role,
                fields.text("confirm", "a phrase to type"),
                parameters,
                schedule(fields, parameters)));
    }

    /** {@code schedule: {cron, zone}}; a scheduled runbook runs with defaults, so every parameter needs one. */
    private Optional<RunbookSpec.Schedule> schedule(MappingFields fields, Map<String, Parameter> parameters) {
        Optional<Schedule> schedule = ScheduleBinder.bind(fields, problems);
        if (schedule.isPresent()) {
            parameters.values().stream()
                    .filter(p -> p.required() && p.defaultValue().isEmpty())
                    .forEach(p -> problems.add(
                            fields.value("schedule").orElseThrow(),
                            fields.path("schedule"),
                            "expected a default for parameter " + p.name()
                                    + ": a scheduled run has no one to give it"));
        }
        return schedule.map(s -> new RunbookSpec.Schedule(s.cron(), s.zone()));
    }

    private Optional<Parameter> parameter(String name, MappingFields fields) {
        Optional<Type> type = fields.requiredEnum("type", Type.class, "string, enum, boolean, integer or secret");
        Optional<String> pattern = fields.text("pattern", "a regular expression")
                .filter(p -> {
                    try {
                        Pattern.compile(p);
                        return true;
                    } catch (PatternSyntaxException e) {
                        YamlValues.expected(
                                problems,
                                fields.value("pattern").orElseThrow(),
                                fields.path("pattern"),
                                "a regular expression (" + e.getDescription() + ")");
                        return false;
                    }
                });
        List<String> values = new ArrayList<>();
        fields.value("values").ifPresent(n -> {
            if (n instanceof SequenceNode list) {
                list.getValue()
                        .forEach(v -> YamlValues.text(v, fields.path("values"), "a value", problems)
                                .ifPresent(values::add));
            } else {
                YamlValues.expected(problems, n, fields.path("values"), "a list of values");
            }
        });
        Optional<Long> min =
                fields.integer("min", Integer.MIN_VALUE, Integer.MAX_VALUE).map(Long::valueOf);
        Optional<Long> max =
                fields.integer("max", Integer.MIN_VALUE, Integer.MAX_VALUE).map(Long::valueOf);
        if (type.isPresent() && type.get() == Type.ENUM && values.isEmpty()) {
            problems.add(fields.node(), fields.path(), "expected values: a non-empty list for an enum parameter");
            return Optional.empty();
        }
        boolean required = fields.value("required")
                .flatMap(n -> YamlValues.text(n, fields.path("required"), "true or false", problems))
                .map(Boolean::parseBoolean)
                .orElse(true);
        Optional<String> defaultValue = fields.text("default", "a default value");
        if (type.isPresent() && type.get() == Type.SECRET && defaultValue.isPresent()) {
            // Definition files are reviewed like code and kept in git: no secret value belongs in one.
            problems.add(
                    fields.value("default").orElseThrow(),
                    fields.path("default"),
                    "no default for a secret parameter: whoever runs the runbook gives the value");
            return Optional.empty();
        }
        return type.map(t -> new Parameter(name, t, pattern, values, min, max, defaultValue, required))
                .filter(p -> defaultValue
                        .flatMap(p::problem)
                        .map(problem -> {
                            YamlValues.expected(
                                    problems,
                                    fields.value("default").orElseThrow(),
                                    fields.path("default"),
                                    "a default that is itself valid (" + problem + ")");
                            return false;
                        })
                        .orElse(true));
    }
}
