package org.cnx.conveyor.environment.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.yaml.SafeYaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads Ansible variable files into maps, lists and strings. Scalars keep their text as written, so a pin like
 * {@code 1.10} is not turned into the number 1.1.
 */
final class AnsibleYaml {

    private AnsibleYaml() {}

    /** Reads a YAML file whose top level is a mapping; an empty file reads as an empty map. */
    static Map<String, Object> readMapping(Path file, String displayName) {
        return parseMapping(readText(file), displayName);
    }

    static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Parses YAML text whose top level is a mapping; empty text reads as an empty map. */
    static Map<String, Object> parseMapping(String text, String displayName) {
        Node root;
        try {
            root = SafeYaml.compose(text);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new InventoryImportException(displayName, line, "invalid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new InventoryImportException(displayName, 0, "invalid YAML: " + e.getMessage());
        }
        if (root == null) {
            return new LinkedHashMap<>();
        }
        if (!(root instanceof MappingNode)) {
            throw new InventoryImportException(
                    displayName, root.getStartMark().getLine() + 1, "expected a mapping of variables");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> mapping = (Map<String, Object>) toValue(root);
        return mapping;
    }

    private static Object toValue(Node node) {
        if (node instanceof MappingNode mapping) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                values.put(String.valueOf(toValue(tuple.getKeyNode())), toValue(tuple.getValueNode()));
            }
            return values;
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> values = new ArrayList<>();
            sequence.getValue().forEach(item -> values.add(toValue(item)));
            return values;
        }
        ScalarNode scalar = (ScalarNode) node;
        return Tag.NULL.equals(scalar.getTag()) ? "" : scalar.getValue();
    }
}
