package org.cnx.conveyor.environment.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Binds a host's {@code roles} list: a non-empty list of distinct role names. */
final class RoleListBinder {

    private static final String EXPECTED = "a non-empty list of role names";

    private RoleListBinder() {}

    static List<String> bind(MappingFields host, Problems problems) {
        List<String> roles = new ArrayList<>();
        Optional<Node> list = host.required("roles", EXPECTED);
        if (list.isEmpty()) {
            return roles;
        }
        if (!(list.get() instanceof SequenceNode sequence)
                || sequence.getValue().isEmpty()) {
            YamlValues.expected(problems, list.get(), host.path("roles"), EXPECTED);
            return roles;
        }
        for (int i = 0; i < sequence.getValue().size(); i++) {
            Node item = sequence.getValue().get(i);
            String path = host.path("roles") + "[" + i + "]";
            Optional<String> role = YamlValues.matching(
                    item,
                    path,
                    DefinitionPatterns.SHORT_NAME,
                    "a role " + DefinitionPatterns.SHORT_NAME_EXPECTED,
                    problems);
            if (role.isPresent() && roles.contains(role.get())) {
                problems.add(
                        item,
                        path,
                        "expected a role not listed before, found " + YamlValues.quote(role.get()) + " again");
            } else {
                role.ifPresent(roles::add);
            }
        }
        return roles;
    }
}
