package org.cnx.conveyor.environment.definition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Binds the {@code components} mapping and checks each component against the hosts that will run it. */
final class ComponentBinder {

    static final List<String> KEYS =
            List.of("role", "port", "install", "start", "stop", "migrate", "migrations", "health", "env");
    private static final String EXPECTED = "a non-empty mapping of component names to recipes";
    private static final String COMMAND = "a shell command";

    private final Problems problems;
    private final List<Host> hosts;
    private final Map<String, Node> portNodes = new LinkedHashMap<>();

    ComponentBinder(Problems problems, List<Host> hosts) {
        this.problems = problems;
        this.hosts = hosts;
    }

    Map<String, Component> bindAll(MappingFields definition) {
        Map<String, Component> components = new LinkedHashMap<>();
        Optional<Node> node = definition.required("components", EXPECTED);
        if (node.isEmpty()) {
            return components;
        }
        if (node.get() instanceof MappingNode mapping && mapping.getValue().isEmpty()) {
            YamlValues.expected(problems, node.get(), "components", EXPECTED);
            return components;
        }
        Optional<MappingFields> all = MappingFields.of(node.get(), "components", EXPECTED, null, problems);
        for (NodeTuple entry : all.map(MappingFields::entries).orElse(List.of())) {
            String name = ((ScalarNode) entry.getKeyNode()).getValue();
            String path = "components." + name;
            if (!DefinitionPatterns.SHORT_NAME.matcher(name).matches()) {
                YamlValues.expected(
                        problems, entry.getKeyNode(), path, "a component " + DefinitionPatterns.SHORT_NAME_EXPECTED);
                continue;
            }
            MappingFields.of(entry.getValueNode(), path, "a mapping of recipe settings", KEYS, problems)
                    .map(fields -> bind(name, entry.getKeyNode(), fields))
                    .ifPresent(component -> components.put(name, component));
        }
        checkPortClashes(components);
        return components;
    }

    private Component bind(String name, Node keyNode, MappingFields fields) {
        String role = fields.matching(
                        "role", DefinitionPatterns.SHORT_NAME, "a role " + DefinitionPatterns.SHORT_NAME_EXPECTED)
                .orElse(fields.has("role") ? null : name);
        List<String> knownRoles =
                hosts.stream().flatMap(host -> host.roles().stream()).distinct().toList();
        // Without any valid role the hosts already have a problem; a second one per component would only be noise.
        if (role != null && !knownRoles.isEmpty() && !knownRoles.contains(role)) {
            String roles = String.join(", ", knownRoles);
            if (fields.has("role")) {
                YamlValues.expected(
                        problems,
                        fields.value("role").orElseThrow(),
                        fields.path("role"),
                        "a role that some host has (" + roles + ")");
            } else {
                problems.add(
                        keyNode,
                        fields.path(),
                        "expected a host with role " + YamlValues.quote(role)
                                + " (the component name, as role is not set), found none among roles " + roles);
            }
        }
        OptionalInt port = fields.integer("port", 1, 65535).map(OptionalInt::of).orElse(OptionalInt.empty());
        if (port.isPresent()) {
            portNodes.put(name, fields.value("port").orElseThrow());
        }
        return new Component(
                name,
                role,
                port,
                fields.text("install", COMMAND),
                fields.requiredText("start", COMMAND).orElse(null),
                fields.requiredText("stop", COMMAND).orElse(null),
                fields.text("migrate", COMMAND),
                MigrationsBinder.bind(fields, problems),
                fields.value("health").flatMap(node -> HealthCheckBinder.bind(node, fields.path("health"), problems)),
                StringMapBinder.bind(fields, "env", problems));
    }

    /** Two components on the same host cannot listen on the same port. */
    private void checkPortClashes(Map<String, Component> components) {
        Map<String, String> claimedBy = new LinkedHashMap<>();
        portNodes.forEach((name, node) -> {
            Component component = components.get(name);
            for (Host host : hosts) {
                if (component == null || component.role() == null || !host.hasRole(component.role())) {
                    continue;
                }
                String claim = host.name() + ":" + component.port().getAsInt();
                String other = claimedBy.putIfAbsent(claim, name);
                if (other != null && !other.equals(name)) {
                    problems.add(
                            node,
                            "components." + name + ".port",
                            "expected a port not used by component " + other + " on host " + host.name() + ", found "
                                    + component.port().getAsInt());
                    return;
                }
            }
        });
    }
}
