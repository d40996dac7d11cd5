package org.cnx.conveyor.yaml;

import java.io.StringReader;
import java.util.IdentityHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The one place YAML is read (definitions, templates, imported inventories): limits on size, nesting and aliases,
 * then a walk of the composed tree that refuses a recursive alias and a tree that aliases expand past
 * {@link #MAX_EXPANDED_NODES} nodes, so an alias bomb is a YAML problem in milliseconds, not minutes of CPU.
 */
public final class SafeYaml {

    /** Largest YAML text read, in code points. */
    public static final int MAX_CODE_POINTS = 1024 * 1024;
    /** Deepest nesting of mappings and sequences. */
    public static final int MAX_DEPTH = 64;
    /** Aliases to mappings or sequences per document (merge keys such as {@code <<: *defaults} count). */
    public static final int MAX_ALIASES = 100;
    /** Nodes the document may hold once every alias is expanded, as whoever reads it will walk them. */
    public static final int MAX_EXPANDED_NODES = 200_000;

    private SafeYaml() {}

    /** Composes one YAML document (null when empty); a document past a limit is a {@link YAMLException}. */
    public static Node compose(String text) {
        Node root = new Yaml(options()).compose(new StringReader(text));
        if (root != null) {
            new Walk().visit(root, 0);
        }
        return root;
    }

    private static LoaderOptions options() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setAllowDuplicateKeys(true);
        return options;
    }

    /** Counts nodes as a reader expanding aliases would meet them, and notices a node that contains itself. */
    private static final class Walk {
        private final Map<Node, Boolean> open = new IdentityHashMap<>();
        private int nodes;

        void visit(Node node, int depth) {
            if (++nodes > MAX_EXPANDED_NODES) {
                throw new YAMLException("the document expands to more than " + MAX_EXPANDED_NODES
                        + " values through its aliases (an alias bomb?)");
            }
            if (depth > MAX_DEPTH) {
                throw new YAMLException("the document nests deeper than " + MAX_DEPTH + " levels through its aliases");
            }
            if (open.put(node, Boolean.TRUE) != null) {
                throw new YAMLException(
                        "an alias refers to a mapping or sequence that contains it (a recursive alias) at line "
                                + (node.getStartMark().getLine() + 1));
            }
            if (node instanceof MappingNode mapping) {
                for (NodeTuple tuple : mapping.getValue()) {
                    visit(tuple.getKeyNode(), depth + 1);
                    visit(tuple.getValueNode(), depth + 1);
                }
            } else if (node instanceof SequenceNode sequence) {
                for (Node item : sequence.getValue()) {
                    visit(item, depth + 1);
                }
            }
            open.remove(node);
        }
    }
}
