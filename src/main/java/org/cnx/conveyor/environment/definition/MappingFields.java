package org.cnx.conveyor.environment.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The keys of one YAML mapping, checked once for duplicate and unknown keys, with typed accessors that report
 * missing and malformed values at the right position.
 */
final class MappingFields {

    private final MappingNode node;
    private final String path;
    private final Problems problems;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    private MappingFields(MappingNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /**
     * Reads a mapping whose keys must be among {@code allowedKeys} (or any string key when it is null); reports a
     * problem and returns empty when the node is not a mapping at all.
     */
    static Optional<MappingFields> of(
            Node node, String path, String expected, List<String> allowedKeys, Problems problems) {
        if (!(node instanceof MappingNode mapping)) {
            YamlValues.expected(problems, node, path, expected);
            return Optional.empty();
        }
        MappingFields fields = new MappingFields(mapping, path, problems);
        for (NodeTuple tuple : mapping.getValue()) {
            fields.addEntry(tuple, allowedKeys);
        }
        return Optional.of(fields);
    }

    private void addEntry(NodeTuple tuple, List<String> allowedKeys) {
        Node keyNode = tuple.getKeyNode();
        if (!(keyNode instanceof ScalarNode scalar) || YamlValues.isNull(keyNode)) {
            YamlValues.expected(problems, keyNode, pathOrRoot(), "a key name");
            return;
        }
        String key = scalar.getValue();
        NodeTuple first = entries.get(key);
        if (first != null) {
            problems.add(
                    keyNode,
                    path(key),
                    "duplicate key, first defined at line "
                            + (first.getKeyNode().getStartMark().getLine() + 1));
        } else if (allowedKeys != null && !allowedKeys.contains(key)) {
            problems.add(keyNode, path(key), "unknown key, expected one of " + String.join(", ", allowedKeys));
        } else {
            entries.put(key, tuple);
        }
    }

    MappingNode node() {
        return node;
    }

    String path() {
        return path;
    }

    private String pathOrRoot() {
        return path.isEmpty() ? "(file)" : path;
    }

    /** The path of a key inside this mapping. */
    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    Problems problems() {
        return problems;
    }

    /** Keys in file order, with their key and value nodes; for free-form mappings such as {@code env}. */
    List<NodeTuple> entries() {
        return new ArrayList<>(entries.values());
    }

    boolean has(String key) {
        return value(key).isPresent();
    }

    /** The value of a key, treating an explicit empty value like an absent key. */
    Optional<Node> value(String key) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null || YamlValues.isNull(tuple.getValueNode())) {
            return Optional.empty();
        }
        return Optional.of(tuple.getValueNode());
    }

    Optional<Node> keyNode(String key) {
        return Optional.ofNullable(entries.get(key)).map(NodeTuple::getKeyNode);
    }

    /** The value of a required key; a missing key is reported at this mapping, an empty value at the value. */
    Optional<Node> required(String key, String expected) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            problems.add(node, path(key), "required key missing, expected " + expected);
            return Optional.empty();
        }
        if (YamlValues.isNull(tuple.getValueNode())) {
            YamlValues.expected(problems, tuple.getValueNode(), path(key), expected);
            return Optional.empty();
        }
        return Optional.of(tuple.getValueNode());
    }

    /** Reports that a key present in the file is not allowed in this situation. */
    void forbid(String key, String reason) {
        keyNode(key).ifPresent(keyNode -> problems.add(keyNode, path(key), "unexpected key, " + reason));
    }

    Optional<String> text(String key, String expected) {
        return value(key).flatMap(value -> SecretValues.forbidding(value, path(key), expected, problems));
    }

    Optional<String> requiredText(String key, String expected) {
        return required(key, expected).flatMap(value -> SecretValues.forbidding(value, path(key), expected, problems));
    }

    Optional<String> matching(String key, Pattern pattern, String expected) {
        return value(key).flatMap(value -> YamlValues.matching(value, path(key), pattern, expected, problems));
    }

    Optional<String> requiredMatching(String key, Pattern pattern, String expected) {
        return required(key, expected)
                .flatMap(value -> YamlValues.matching(value, path(key), pattern, expected, problems));
    }

    Optional<Integer> integer(String key, int min, int max) {
        return value(key).flatMap(value -> YamlValues.integer(value, path(key), min, max, problems));
    }

    Optional<Duration> duration(String key) {
        return value(key).flatMap(value -> YamlValues.duration(value, path(key), problems));
    }

    Optional<String> secretAllowing(String key, String expected) {
        return value(key).flatMap(value -> SecretValues.allowing(value, path(key), expected, problems));
    }

    Optional<String> requiredSecret(String key) {
        return required(key, SecretValues.EXPECTED_REFERENCE)
                .flatMap(value -> SecretValues.required(value, path(key), problems));
    }

    <E extends Enum<E>> Optional<E> requiredEnum(String key, Class<E> type, String expected) {
        return required(key, expected).flatMap(value -> YamlValues.oneOf(value, path(key), type, problems));
    }

    <E extends Enum<E>> Optional<E> enumValue(String key, Class<E> type) {
        return value(key).flatMap(value -> YamlValues.oneOf(value, path(key), type, problems));
    }
}
