package org.cnx.conveyor.environment.definition;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.DatabaseRef;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Kind;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Transport;
import org.yaml.snakeyaml.nodes.Node;

/** Walks the root mapping of a definition file and builds an {@link EnvironmentDefinition}, collecting all problems. */
final class DefinitionBinder {

    static final List<String> KEYS = List.of(
            "name",
            "kind",
            "stage",
            "description",
            "protection",
            "url",
            "ttl",
            "root",
            "keepReleases",
            "hosts",
            "components",
            "database",
            "variables",
            "rollout",
            "runbooks",
            "snapshots");
    private static final int DEFAULT_KEEP_RELEASES = 5;

    /**
     * What the file itself demands: the name it must declare (empty for templates) and the kinds it may have.
     */
    record FileRules(Optional<String> expectedName, Set<Kind> allowedKinds, String allowedKindsReason) {

        static FileRules forDefinition(Optional<String> expectedName) {
            return new FileRules(expectedName, EnumSet.allOf(Kind.class), "");
        }
    }

    private DefinitionBinder() {}

    static Optional<EnvironmentDefinition> bind(Node root, FileRules rules, SharedRunbooks shared, Problems problems) {
        int before = problems.count();
        Optional<MappingFields> found = MappingFields.of(root, "", "a mapping of environment settings", KEYS, problems);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        MappingFields fields = found.get();
        String name = name(fields, rules, problems);
        Kind kind = kind(fields, rules, problems);
        String stage = fields.requiredMatching(
                        "stage", DefinitionPatterns.SHORT_NAME, "a stage " + DefinitionPatterns.SHORT_NAME_EXPECTED)
                .orElse(null);
        Optional<String> description = fields.text("description", "a description");
        int approvals = fields.value("protection")
                .flatMap(node -> MappingFields.of(
                        node, "protection", "a mapping with approvals", List.of("approvals"), problems))
                .flatMap(protection -> protection.integer("approvals", 0, 10))
                .orElse(kind == Kind.PRODUCTION ? 1 : 0);
        Optional<Duration> ttl = ttl(fields, kind, problems);
        String environmentRoot = fields.text("root", DefinitionPatterns.ABSOLUTE_EXPECTED)
                .filter(folder -> HostBinder.checkRoot(
                        fields.value("root").orElseThrow(), "root", folder, Transport.LOCAL, problems))
                .orElse(fields.has("root") ? null : EnvironmentDefinition.DEFAULT_ROOT);
        int keepReleases = fields.integer("keepReleases", 1, 100).orElse(DEFAULT_KEEP_RELEASES);
        List<Host> hosts = new HostBinder(problems, kind, environmentRoot, fields.value("root")).bindAll(fields);
        Map<String, Component> components = new ComponentBinder(problems, hosts).bindAll(fields);
        Optional<String> url = fields.text("url", UrlCheck.EXPECTED)
                .flatMap(pattern -> UrlCheck.pattern(
                        fields.value("url").orElseThrow(), "url", pattern, hosts, components, problems));
        Optional<DatabaseRef> database =
                fields.value("database").flatMap(node -> DatabaseBinder.bind(node, hosts, problems));
        Map<String, String> variables = StringMapBinder.bind(fields, "variables", problems);
        RolloutSpec rollout = fields.value("rollout")
                .flatMap(node -> new RolloutBinder(problems, hosts, components).bind(node))
                .orElse(RolloutSpec.ALL_AT_ONCE);
        Map<String, RunbookSpec> runbooks = new RunbookBinder(
                        problems, hosts, shared, new RunbookBinder.CopyTarget(name, kind, database.isPresent()))
                .bind(fields.value("runbooks"));
        Optional<SnapshotSpec> snapshots =
                fields.value("snapshots").flatMap(node -> SnapshotBinder.bind(node, problems));
        if (problems.count() > before) {
            return Optional.empty();
        }
        return Optional.of(new EnvironmentDefinition(
                name,
                kind,
                stage,
                description,
                approvals,
                url,
                ttl,
                environmentRoot,
                keepReleases,
                hosts,
                components,
                database,
                variables,
                rollout,
                runbooks,
                snapshots));
    }

    private static String name(MappingFields fields, FileRules rules, Problems problems) {
        Optional<String> name = fields.requiredMatching(
                "name", DefinitionPatterns.NAME, "an environment " + DefinitionPatterns.NAME_EXPECTED);
        if (name.isPresent()
                && rules.expectedName().isPresent()
                && !rules.expectedName().get().equals(name.get())) {
            YamlValues.expected(
                    problems,
                    fields.value("name").orElseThrow(),
                    "name",
                    YamlValues.quote(rules.expectedName().get()) + " (the file name without .yml)");
        }
        return name.orElse(null);
    }

    private static Kind kind(MappingFields fields, FileRules rules, Problems problems) {
        Optional<Kind> kind = fields.requiredEnum("kind", Kind.class, "one of personal, preview, shared, production");
        if (kind.isPresent() && !rules.allowedKinds().contains(kind.get())) {
            String allowed = String.join(
                    " or ", rules.allowedKinds().stream().map(Kind::yamlName).toList());
            YamlValues.expected(
                    problems, fields.value("kind").orElseThrow(), "kind", allowed + " " + rules.allowedKindsReason());
        }
        return kind.orElse(null);
    }

    private static Optional<Duration> ttl(MappingFields fields, Kind kind, Problems problems) {
        Optional<Duration> ttl = fields.duration("ttl");
        if (ttl.isPresent() && kind != null && !kind.mayExpire()) {
            YamlValues.expected(
                    problems,
                    fields.value("ttl").orElseThrow(),
                    "ttl",
                    "no ttl for a " + kind.yamlName() + " environment (only personal and preview environments expire)");
            return Optional.empty();
        }
        return ttl;
    }
}
