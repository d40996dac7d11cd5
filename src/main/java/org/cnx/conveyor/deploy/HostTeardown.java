package org.cnx.conveyor.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.transport.HostConnection;
import org.cnx.conveyor.transport.OutputSink;
import org.cnx.conveyor.transport.Shell;
import org.cnx.conveyor.transport.TransportException;

/** The teardown of one host: stop every component's live release (a failing stop is logged, not fatal), then remove the root. */
final class HostTeardown {

    private final RunningJob job;
    private final EnvironmentDefinition definition;
    private final Host host;
    private final HostLayout layout;
    private final HostConnection connection;
    private final DeployServices services;

    HostTeardown(
            RunningJob job,
            EnvironmentDefinition definition,
            Host host,
            HostLayout layout,
            HostConnection connection,
            DeployServices services) {
        this.job = job;
        this.definition = definition;
        this.host = host;
        this.layout = layout;
        this.connection = connection;
        this.services = services;
    }

    /** Returns the components whose live release was stopped. */
    List<String> stopAndRemove() throws TransportException {
        List<String> stopped = new ArrayList<>();
        Map<String, String> versions = services.versionsOf(job.releaseId());
        for (Component component : definition.components().values()) {
            if (!host.hasRole(component.role())) {
                continue;
            }
            Optional<String> release = HostLayout.releaseOfLink(
                    capture(layout.readCurrent(component.name())).target());
            if (release.isPresent()) {
                String name = component.name();
                job.log().info(host.name(), name, "stop release " + release.get() + ": " + component.stop());
                Map<String, String> env = RecipeEnvironment.of(
                        definition,
                        host,
                        component,
                        layout,
                        release.get(),
                        versions.getOrDefault(name, ""),
                        services::resolveSecrets);
                int exit = connection.exec(
                        Shell.inDirectory(layout.releaseDir(name, release.get()), env, component.stop()),
                        services.config().serviceTimeout(),
                        sink(name));
                if (exit != 0) {
                    job.log()
                            .info(
                                    host.name(),
                                    name,
                                    "stop exited with status " + exit + "; removing the folders anyway");
                }
                stopped.add(name);
            }
        }
        job.log().info(host.name(), null, "remove " + layout.root());
        connection.removeRoot(layout.root(), services.config().stepTimeout(), sink(null));
        return stopped;
    }

    private <T> T capture(HostLayout.Query<T> query) throws TransportException {
        StringBuilder out = new StringBuilder();
        connection.run(query.script(), services.config().stepTimeout(), (stream, line) -> {
            if (stream == OutputSink.Stream.STDOUT) {
                out.append(line).append('\n');
            }
        });
        return query.read(host.name(), out.toString());
    }

    private OutputSink sink(String component) {
        return (stream, line) ->
                job.log().append(host.name(), component, stream.name().toLowerCase(Locale.ROOT), line);
    }
}
