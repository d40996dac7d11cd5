package org.cnx.conveyor.environment.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.cnx.conveyor.common.MigrationFormat;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.MigrationsRecipe;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Binds a recipe's {@code migrations}: a folder ({@code migrations: db/migrations}, Flyway format), or a mapping with
 * {@code folder}, {@code format}, {@code python} and {@code support}.
 */
final class MigrationsBinder {

    static final List<String> KEYS = List.of("folder", "format", "python", "support");
    private static final String EXPECTED = "a relative folder, or a mapping with folder, format, python and support";
    private static final String FORMAT_EXPECTED = "one of flyway, db-migrator";
    private static final String PYTHON_EXPECTED =
            "a Python interpreter: a path inside the component's release folder like venv/bin/python, an absolute path,"
                    + " or a command name like python3";
    private static final Pattern PYTHON = Pattern.compile("[A-Za-z0-9_./+-]{1,200}");
    private static final String SUPPORT_EXPECTED =
            "a list of file patterns relative to the migrations folder, like sql/*.sql (no \"..\", not absolute)";
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9_.*?\\[\\]/-]{1,200}");

    private MigrationsBinder() {}

    static Optional<MigrationsRecipe> bind(MappingFields recipe, Problems problems) {
        Optional<Node> node = recipe.value("migrations");
        if (node.isEmpty()) {
            return Optional.empty();
        }
        String path = recipe.path("migrations");
        if (node.get() instanceof ScalarNode) {
            return folder(node.get(), path, problems).map(MigrationsRecipe::flyway);
        }
        return MappingFields.of(node.get(), path, EXPECTED, KEYS, problems)
                .flatMap(fields -> bindMapping(fields, problems));
    }

    private static Optional<MigrationsRecipe> bindMapping(MappingFields fields, Problems problems) {
        Optional<String> folder = fields.required("folder", DefinitionPatterns.RELATIVE_EXPECTED)
                .flatMap(node -> folder(node, fields.path("folder"), problems));
        MigrationFormat format = fields.value("format")
                .flatMap(node -> YamlValues.text(node, fields.path("format"), FORMAT_EXPECTED, problems)
                        .flatMap(text -> {
                            Optional<MigrationFormat> known = MigrationFormat.byId(text);
                            if (known.isEmpty()) {
                                YamlValues.expected(problems, node, fields.path("format"), FORMAT_EXPECTED);
                            }
                            return known;
                        }))
                .orElse(MigrationFormat.FLYWAY);
        if (format == MigrationFormat.FLYWAY) {
            fields.forbid("python", "the flyway format runs SQL through Conveyor, not Python");
        }
        String python = fields.value("python")
                .flatMap(node -> YamlValues.matching(node, fields.path("python"), PYTHON, PYTHON_EXPECTED, problems)
                        .filter(text -> {
                            boolean valid = !text.contains("..");
                            if (!valid) {
                                YamlValues.expected(problems, node, fields.path("python"), PYTHON_EXPECTED);
                            }
                            return valid;
                        }))
                .orElse(MigrationsRecipe.DEFAULT_PYTHON);
        List<String> support = support(fields, problems);
        return folder.map(f -> new MigrationsRecipe(f, format, python, support));
    }

    private static List<String> support(MappingFields fields, Problems problems) {
        List<String> patterns = new ArrayList<>();
        Optional<Node> node = fields.value("support");
        if (node.isEmpty()) {
            return patterns;
        }
        if (!(node.get() instanceof SequenceNode list)) {
            YamlValues.expected(problems, node.get(), fields.path("support"), SUPPORT_EXPECTED);
            return patterns;
        }
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            String path = fields.path("support") + "[" + i + "]";
            YamlValues.matching(item, path, GLOB, SUPPORT_EXPECTED, problems)
                    .filter(glob -> {
                        boolean valid = !glob.startsWith("/") && !glob.contains("..");
                        if (!valid) {
                            YamlValues.expected(problems, item, path, SUPPORT_EXPECTED);
                        }
                        return valid;
                    })
                    .ifPresent(patterns::add);
        }
        return patterns;
    }

    private static Optional<String> folder(Node node, String path, Problems problems) {
        return YamlValues.text(node, path, DefinitionPatterns.RELATIVE_EXPECTED, problems)
                .filter(folder -> {
                    boolean valid = DefinitionPatterns.isRelativePath(folder);
                    if (!valid) {
                        YamlValues.expected(problems, node, path, DefinitionPatterns.RELATIVE_EXPECTED);
                    }
                    return valid;
                });
    }
}
