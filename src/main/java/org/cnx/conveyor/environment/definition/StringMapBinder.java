package org.cnx.conveyor.environment.definition;

import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Binds free-form {@code NAME: value} mappings ({@code env}, {@code variables}) whose values may hold secrets. */
final class StringMapBinder {

    private static final String KEY_EXPECTED = "a variable name matching ^[A-Za-z_][A-Za-z0-9_]*$";

    private StringMapBinder() {}

    /** Reads the mapping at {@code key}; numbers and booleans are taken as written, lists and mappings refused. */
    static Map<String, String> bind(MappingFields parent, String key, Problems problems) {
        Map<String, String> values = new LinkedHashMap<>();
        parent.value(key)
                .flatMap(node ->
                        MappingFields.of(node, parent.path(key), "a mapping of names to strings", null, problems))
                .ifPresent(map -> {
                    for (NodeTuple entry : map.entries()) {
                        String name = ((ScalarNode) entry.getKeyNode()).getValue();
                        String path = map.path(name);
                        if (!DefinitionPatterns.VARIABLE.matcher(name).matches()) {
                            YamlValues.expected(problems, entry.getKeyNode(), path, KEY_EXPECTED);
                            continue;
                        }
                        if (YamlValues.isNull(entry.getValueNode())) {
                            values.put(name, "");
                            continue;
                        }
                        SecretValues.allowing(entry.getValueNode(), path, "a string", problems)
                                .ifPresent(value -> values.put(name, value));
                    }
                });
        return values;
    }
}
