package org.cnx.conveyor.environment.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The runbooks of the files under {@code environments/runbooks/}, which definitions take by name with
 * {@code runbooks: {NAME: {use: SHARED-NAME}}}. A file with any problem (or declaring a name an earlier file declared)
 * gives no runbook at all, like a broken definition file.
 */
public final class SharedRunbooks {

    /** The folder, inside {@code environments/}, that holds them. */
    public static final String FOLDER = "runbooks";

    /** No shared runbook: what templates and environments without any see. */
    public static final SharedRunbooks NONE = new SharedRunbooks(Map.of(), Map.of(), Map.of());

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One shared runbook and the file that declares it. */
    record Entry(String file, RunbookSpec spec) {}

    private final Map<String, Entry> byName;
    /** Names declared by files that have problems, so that a definition using one is told which file to fix. */
    private final Map<String, String> brokenNames;
    /** The text of each valid file, by display name. */
    private final Map<String, String> texts;

    private SharedRunbooks(Map<String, Entry> byName, Map<String, String> brokenNames, Map<String, String> texts) {
        this.byName = byName;
        this.brokenNames = brokenNames;
        this.texts = texts;
    }

    /**
     * Parses shared files (display name → text, in the order given); every problem is added to {@code problems}
     * with its file, line and column.
     */
    public static SharedRunbooks parse(Map<String, String> files, List<DefinitionProblem> problems) {
        Map<String, Entry> byName = new LinkedHashMap<>();
        Map<String, String> brokenNames = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        files.forEach((file, text) -> {
            Problems found = new Problems(file);
            Node root = compose(text, found);
            Map<String, RunbookSpec> specs = root == null ? Map.of() : RunbookBinder.bindShared(root, found);
            if (root instanceof MappingNode mapping) {
                for (NodeTuple tuple : mapping.getValue()) {
                    if (tuple.getKeyNode() instanceof ScalarNode key && byName.containsKey(key.getValue())) {
                        found.add(
                                key,
                                key.getValue(),
                                "expected a name not declared by "
                                        + byName.get(key.getValue()).file() + ", found "
                                        + YamlValues.quote(key.getValue()) + " again");
                    }
                }
            }
            if (found.isEmpty()) {
                specs.forEach((name, spec) -> byName.put(name, new Entry(file, spec)));
                texts.put(file, text);
            } else {
                problems.addAll(found.inDocumentOrder());
                if (root instanceof MappingNode mapping) {
                    mapping.getValue().stream()
                            .filter(t -> t.getKeyNode() instanceof ScalarNode)
                            .forEach(t -> brokenNames.putIfAbsent(((ScalarNode) t.getKeyNode()).getValue(), file));
                }
            }
        });
        return new SharedRunbooks(byName, brokenNames, texts);
    }

    private static Node compose(String text, Problems problems) {
        try {
            Node root = org.cnx.conveyor.yaml.SafeYaml.compose(text);
            if (root == null) {
                problems.add(1, 1, "(file)", "expected a mapping of runbook names, found an empty file");
            }
            return root;
        } catch (MarkedYAMLException e) {
            problems.add(e.getProblemMark(), "(yaml)", DefinitionParser.syntaxMessage(e));
        } catch (YAMLException e) {
            problems.add(1, 1, "(yaml)", "invalid YAML: " + e.getMessage());
        }
        return null;
    }

    Optional<Entry> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Why {@code name} cannot be used: the file to fix, or the names there are. */
    String whyMissing(String name) {
        if (brokenNames.containsKey(name)) {
            return "shared runbook " + YamlValues.quote(name) + " is declared in " + brokenNames.get(name)
                    + ", which has problems: fix them first";
        }
        String known = byName.isEmpty() ? "none is declared" : "declared: " + String.join(", ", byName.keySet());
        return "expected the name of a shared runbook of environments/" + FOLDER + "/ (" + known + "), found "
                + YamlValues.quote(name);
    }

    /** The texts of the shared files a definition took runbooks from: what its loaded copy is parsed with again. */
    public Map<String, String> textsUsedBy(EnvironmentDefinition definition) {
        Map<String, String> used = new TreeMap<>();
        definition.runbooks().values().stream()
                .flatMap(spec -> spec.sharedFrom().stream())
                .forEach(file -> used.put(file, texts.get(file)));
        return Collections.unmodifiableMap(used);
    }

    /** The stored form of {@link #textsUsedBy}: JSON, or null when the definition uses none. */
    public static String encode(Map<String, String> texts) {
        if (texts.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(new TreeMap<>(texts));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always encodes", e);
        }
    }

    /** Shared runbooks from their stored form (see {@link #encode}); a stored copy was valid when it was stored. */
    public static SharedRunbooks decode(String stored) {
        if (stored == null || stored.isBlank()) {
            return NONE;
        }
        try {
            Map<String, String> texts = JSON.readValue(stored, new TypeReference<TreeMap<String, String>>() {});
            List<DefinitionProblem> problems = new ArrayList<>();
            SharedRunbooks shared = parse(texts, problems);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("stored shared runbooks no longer parse: " + problems);
            }
            return shared;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored shared runbooks are not JSON", e);
        }
    }
}
