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
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Kind;
import org.cnx.conveyor.environment.definition.RunbookSpec.Parameter;
import org.cnx.conveyor.environment.definition.RunbookSpec.Type;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Binds the optional {@code runbooks} mapping (name → command, roles, parameters, who may run it, or {@code use} of a
 * shared runbook) and the files of shared runbooks.
 */
final class RunbookBinder {

    static final List<String> KEYS = List.of(
            "description",
            "roles",
            "command",
            "copyDatabase",
            "oneAtATime",
            "role",
            "confirm",
            "parameters",
            "schedule");
    static final List<String> PARAMETER_KEYS =
            List.of("type", "pattern", "values", "min", "max", "default", "required");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern PARAMETER = Pattern.compile("[A-Z][A-Z0-9_]{0,62}");

    private final Problems problems;
    /** Null while binding a shared file: its roles are checked in each environment that uses it. */
    private final List<Host> hosts;
    /** Null while binding a shared file: a shared runbook cannot {@code use} another. */
    private final SharedRunbooks shared;

    /** Null while binding a shared file: a copy's target is checked in each environment that uses it. */
    private final CopyTarget copyTarget;

    /** What decides whether an environment may receive a database copy. */
    record CopyTarget(String name, Kind kind, boolean hasDatabase) {

        /** Why a copy from {@code from} into this environment is refused, or null. */
        String refusal(String from) {
            if (kind == Kind.PRODUCTION) {
                return "expected no copyDatabase in a production environment: a copy replaces the environment's data";
            }
            if (!hasDatabase) {
                return "expected a database (database: …) in an environment that copyDatabase restores into";
            }
            if (name != null && name.equals(from)) {
                return "expected another environment to copy from, found this one";
            }
            return null;
        }
    }

    RunbookBinder(Problems problems, List<Host> hosts, SharedRunbooks shared, CopyTarget copyTarget) {
        this.problems = problems;
        this.hosts = hosts;
        this.shared = shared;
        this.copyTarget = copyTarget;
    }

    /** The runbooks of a shared file under {@code environments/runbooks/}: its root is the mapping of names. */
    static Map<String, RunbookSpec> bindShared(Node root, Problems problems) {
        return new RunbookBinder(problems, null, null, null).bindAll(root, "", "");
    }

    /** A definition's {@code runbooks}: each one declared there, or taken from a shared file with {@code use}. */
    Map<String, RunbookSpec> bind(Optional<Node> node) {
        if (node.isEmpty()) {
            return new LinkedHashMap<>();
        }
        return bindAll(node.get(), "runbooks", "runbooks.");
    }

    private Map<String, RunbookSpec> bindAll(Node node, String path, String prefix) {
        Map<String, RunbookSpec> runbooks = new LinkedHashMap<>();
        Optional<MappingFields> all = MappingFields.of(node, path, "a mapping of runbook names", null, problems);
        for (NodeTuple entry : all.map(MappingFields::entries).orElse(List.of())) {
            String name = ((ScalarNode) entry.getKeyNode()).getValue();
            String entryPath = prefix + name;
            if (!NAME.matcher(name).matches()) {
                YamlValues.expected(problems, entry.getKeyNode(), entryPath, "a runbook name like restart-webview");
                continue;
            }
            if (takesShared(entry.getValueNode())) {
                if (shared == null) {
                    problems.add(
                            entry.getValueNode(),
                            entryPath + ".use",
                            "expected the runbook's own settings: a shared runbook cannot use another");
                } else {
                    use(name, entryPath, entry.getValueNode()).ifPresent(runbook -> runbooks.put(name, runbook));
                }
                continue;
            }
            MappingFields.of(entry.getValueNode(), entryPath, "a mapping of runbook settings", KEYS, problems)
                    .flatMap(fields -> runbook(name, fields))
                    .ifPresent(runbook -> runbooks.put(name, runbook));
        }
        return runbooks;
    }

    private static boolean takesShared(Node value) {
        return value instanceof MappingNode mapping
                && mapping.getValue().stream()
                        .anyMatch(t -> t.getKeyNode() instanceof ScalarNode key
                                && key.getValue().equals("use"));
    }

    /** {@code name: {use: shared-name}}: the shared runbook, if it exists and this environment has its roles. */
    private Optional<RunbookSpec> use(String name, String path, Node value) {
        return MappingFields.of(value, path, "a mapping with use", List.of("use"), problems)
                .flatMap(fields -> fields.requiredText("use", "the name of a shared runbook")
                        .flatMap(sharedName -> {
                            Node at = fields.value("use").orElseThrow();
                            Optional<SharedRunbooks.Entry> found = shared.find(sharedName);
                            if (found.isEmpty()) {
                                problems.add(at, fields.path("use"), shared.whyMissing(sharedName));
                                return Optional.empty();
                            }
                            List<String> known = knownRoles();
                            List<String> lacking = found.get().spec().roles().stream()
                                    .filter(role -> !known.contains(role))
                                    .toList();
                            if (!lacking.isEmpty()) {
                                problems.add(
                                        at,
                                        fields.path("use"),
                                        "expected a host with role " + String.join(", ", lacking) + ": shared runbook "
                                                + YamlValues.quote(sharedName) + " of "
                                                + found.get().file()
                                                + " runs on hosts of roles "
                                                + String.join(
                                                        ", ", found.get().spec().roles())
                                                + " (this environment's roles: " + String.join(", ", known) + ")");
                                return Optional.empty();
                            }
                            return Optional.of(
                                    found.get().spec().usedAs(name, found.get().file()));
                        }));
    }

    private List<String> knownRoles() {
        return hosts.stream().flatMap(h -> h.roles().stream()).distinct().toList();
    }

    private Optional<RunbookSpec> runbook(String name, MappingFields fields) {
        if (fields.has("copyDatabase")) {
            return copyDatabase(name, fields);
        }
        Optional<String> command = fields.requiredText("command", "a shell command");
        List<String> roles = new ArrayList<>();
        Optional<Node> rolesNode = fields.required("roles", "a list of host roles");
        List<String> known = hosts == null ? null : knownRoles();
        if (rolesNode.isPresent()) {
            if (rolesNode.get() instanceof SequenceNode list && !list.getValue().isEmpty()) {
                for (int i = 0; i < list.getValue().size(); i++) {
                    Node item = list.getValue().get(i);
                    String itemPath = fields.path("roles") + "[" + i + "]";
                    YamlValues.text(item, itemPath, "a role some host has", problems)
                            .filter(role -> {
                                boolean ok = known == null || known.contains(role);
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
        Role role = role(fields);
        Map<String, Parameter> parameters = parameters(fields);
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
                schedule(fields, parameters),
                Optional.empty(),
                Optional.empty()));
    }

    /**
     * {@code copyDatabase: {from: ENV}}: no command and no hosts; Conveyor restores the newest scrubbed snapshot of
     * {@code from} into this environment's database. Never into production, and never from itself.
     */
    private Optional<RunbookSpec> copyDatabase(String name, MappingFields fields) {
        Node at = fields.value("copyDatabase").orElseThrow();
        for (String key : List.of("command", "roles", "oneAtATime", "parameters")) {
            fields.value(key)
                    .ifPresent(n -> problems.add(
                            n, fields.path(key), "no " + key + " with copyDatabase: the copy runs on Conveyor itself"));
        }
        Optional<String> from = MappingFields.of(
                        at, fields.path("copyDatabase"), "a mapping with from", List.of("from"), problems)
                .flatMap(copy -> copy.requiredMatching(
                        "from", DefinitionPatterns.NAME, "an environment " + DefinitionPatterns.NAME_EXPECTED));
        if (copyTarget != null) {
            String refusal = copyTarget.refusal(from.orElse(null));
            if (refusal != null) {
                problems.add(at, fields.path("copyDatabase"), refusal);
                return Optional.empty();
            }
        }
        Role role = role(fields);
        if (from.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RunbookSpec(
                name,
                fields.text("description", "a sentence").orElse(""),
                List.of(),
                "",
                false,
                role,
                fields.text("confirm", "a phrase to type"),
                Map.of(),
                schedule(fields, Map.of()),
                from,
                Optional.empty()));
    }

    private Role role(MappingFields fields) {
        return fields.value("role")
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
    }

    private Map<String, Parameter> parameters(MappingFields fields) {
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
        return parameters;
    }

    /** {@code schedule: {cron, zone}}; a scheduled runbook runs with defaults, so every parameter needs one. */
    private Optional<Schedule> schedule(MappingFields fields, Map<String, Parameter> parameters) {
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
        return schedule;
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
