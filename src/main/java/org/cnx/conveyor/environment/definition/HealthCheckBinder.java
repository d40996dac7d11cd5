package org.cnx.conveyor.environment.definition;

import java.util.List;
import java.util.Optional;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.HealthCheck;
import org.yaml.snakeyaml.nodes.Node;

/** Binds a component's {@code health} mapping: exactly one of an HTTP URL or a command, plus timing. */
final class HealthCheckBinder {

    static final List<String> KEYS = List.of("http", "command", "timeout", "retries", "interval");

    private HealthCheckBinder() {}

    static Optional<HealthCheck> bind(Node node, String path, Problems problems) {
        return MappingFields.of(node, path, "a mapping of health check settings", KEYS, problems)
                .flatMap(fields -> bind(fields, problems));
    }

    private static Optional<HealthCheck> bind(MappingFields fields, Problems problems) {
        boolean hasHttp = fields.has("http");
        boolean hasCommand = fields.has("command");
        if (hasHttp == hasCommand) {
            problems.add(
                    fields.node(),
                    fields.path(),
                    "expected exactly one of http or command, found " + (hasHttp ? "both" : "neither"));
        }
        Optional<String> http = fields.text("http", UrlCheck.EXPECTED)
                .flatMap(url -> UrlCheck.plain(fields.value("http").orElseThrow(), fields.path("http"), url, problems));
        Optional<String> command = fields.text("command", "a shell command");
        return Optional.of(new HealthCheck(
                http,
                command,
                fields.duration("timeout").orElse(HealthCheck.DEFAULT_TIMEOUT),
                fields.integer("retries", 0, 1000).orElse(HealthCheck.DEFAULT_RETRIES),
                fields.duration("interval").orElse(HealthCheck.DEFAULT_INTERVAL)));
    }
}
