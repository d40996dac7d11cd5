package org.cnx.conveyor.environment.definition;

import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads text values under the secret-reference rules: allowed, required, or not allowed in a field. */
final class SecretValues {

    static final String EXPECTED_REFERENCE = "a secret reference like ${secret:NAME}";

    private SecretValues() {}

    /** Text that may contain well-formed secret references. */
    static Optional<String> allowing(Node node, String path, String expected, Problems problems) {
        Optional<String> text = YamlValues.text(node, path, expected, problems);
        Optional<String> malformed = text.flatMap(SecretReferences::firstMalformed);
        if (malformed.isPresent()) {
            // Only the reference-like fragment is shown: the rest of the value may be sensitive.
            problems.add(
                    node,
                    path,
                    "expected " + EXPECTED_REFERENCE
                            + " with NAME matching " + SecretReferences.NAME.pattern()
                            + ", found " + YamlValues.quote(malformed.get()));
            return Optional.empty();
        }
        return text;
    }

    /** Text that must be exactly one secret reference; a plain value is never echoed, it may be a password. */
    static Optional<String> required(Node node, String path, Problems problems) {
        if (!(node instanceof ScalarNode) || YamlValues.isNull(node)) {
            YamlValues.expected(problems, node, path, EXPECTED_REFERENCE);
            return Optional.empty();
        }
        String text = ((ScalarNode) node).getValue();
        if (SecretReferences.isReference(text)) {
            return Optional.of(text);
        }
        String found = SecretReferences.mentionsSecret(text) ? "a malformed reference" : "a plain value";
        problems.add(node, path, "expected " + EXPECTED_REFERENCE + ", found " + found);
        return Optional.empty();
    }

    /** Text in a field where secrets cannot be substituted, so a reference there would silently stay literal. */
    static Optional<String> forbidding(Node node, String path, String expected, Problems problems) {
        Optional<String> text = YamlValues.text(node, path, expected, problems);
        if (text.isPresent() && SecretReferences.mentionsSecret(text.get())) {
            problems.add(
                    node,
                    path,
                    "expected " + expected
                            + " without secret references (allowed only in env, variables, database and hosts[].key)"
                            + ", found a secret reference");
            return Optional.empty();
        }
        return text;
    }
}
