package org.cnx.conveyor.environment.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Binds {@code snapshots: {keep, scrub, schedule}}. At least one scrub script is required: a snapshot that nothing scrubbed
 * would hand the source's personal data to every developer environment seeded from it.
 */
final class SnapshotBinder {

    static final List<String> KEYS = List.of("keep", "scrub", "schedule");
    private static final String SCRUB_EXPECTED = "a list of SQL scripts that remove personal data from the copy";

    private SnapshotBinder() {}

    static Optional<SnapshotSpec> bind(Node node, Problems problems) {
        return MappingFields.of(node, "snapshots", "a mapping with keep, scrub and schedule", KEYS, problems)
                .flatMap(fields -> {
                    int keep = fields.integer("keep", 1, 100).orElse(SnapshotSpec.DEFAULT_KEEP);
                    Optional<Schedule> schedule = ScheduleBinder.bind(fields, problems);
                    return fields.required("scrub", SCRUB_EXPECTED)
                            .flatMap(scrub -> scripts(scrub, fields.path("scrub"), problems))
                            .map(scripts -> new SnapshotSpec(keep, scripts, schedule));
                });
    }

    private static Optional<List<String>> scripts(Node node, String path, Problems problems) {
        if (!(node instanceof SequenceNode list) || list.getValue().isEmpty()) {
            YamlValues.expected(problems, node, path, SCRUB_EXPECTED);
            return Optional.empty();
        }
        List<String> scripts = new ArrayList<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            YamlValues.text(list.getValue().get(i), path + "[" + i + "]", "an SQL script", problems)
                    .filter(text -> !text.isBlank())
                    .ifPresent(scripts::add);
        }
        return scripts.size() == list.getValue().size() ? Optional.of(scripts) : Optional.empty();
    }
}
