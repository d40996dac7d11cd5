package org.cnx.conveyor.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.cnx.conveyor.deploy.HostLayout.Current;
import org.cnx.conveyor.deploy.HostLayout.Probe;
import org.cnx.conveyor.deploy.HostLayout.Query;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.HealthCheck;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.RolloutSpec.LoadBalancer;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.rollout.LoadBalancerCommands;
import org.cnx.conveyor.rollout.ServerState;
import org.cnx.conveyor.transport.HostConnection;
import org.cnx.conveyor.transport.OutputSink;
import org.cnx.conveyor.transport.Shell;
import org.cnx.conveyor.transport.TransportException;

/** The steps of one job on one host, each journaled before it acts: prepare, switch, verify, restore, prune. */
final class HostWork {

    private final RunningJob job;
    private final EnvironmentDefinition definition;
    private final Host host;
    private final HostLayout layout;
    private final HostConnection connection;
    private final DeployConfig config;
    private final UnaryOperator<String> secrets;

    HostWork(
            RunningJob job,
            EnvironmentDefinition definition,
            Host host,
            HostLayout layout,
            HostConnection connection,
            DeployConfig config,
            UnaryOperator<String> secrets) {
        this.job = job;
        this.definition = definition;
        this.host = host;
        this.layout = layout;
        this.connection = connection;
        this.config = config;
        this.secrets = secrets;
    }

    Host host() {
        return host;
    }

    /** Makes {@code releases/<id>} ready (artifact cached and verified, unpacked, installed); nothing live changes. */
    void prepare(Component component, String release, String version, Optional<String> sha256, Optional<Path> artifact)
            throws TransportException {
        String name = component.name();
        // Few round trips: each is a full SSH exec, and a deploy's speed is mostly their count.
        Probe probe = capture(name, layout.probe(name, release, version, sha256.orElse(null)));
        long step = job.journal()
                .begin(
                        job.id(),
                        Phase.PREPARE,
                        host.name(),
                        name,
                        "prepare",
                        probe.folder().word());
        try {
            if (probe == Probe.PREPARED) {
                log(name, "release " + release + " is already prepared here");
                job.journal().skipped(job.id(), step, "already prepared");
                return;
            }
            List<String> commands = new ArrayList<>();
            if (probe == Probe.MISSING && sha256.isPresent()) {
                String upload = layout.cachedArtifact(sha256.get()) + ".upload-" + job.id();
                log(name, "sending artifact " + sha256.get().substring(0, 12) + "…");
                connection.upload(artifact.orElseThrow(), upload);
                commands.add(layout.verifyUpload(upload, sha256.get()));
            } else if (probe == Probe.CACHED) {
                log(name, "artifact " + sha256.orElseThrow().substring(0, 12) + "… already cached");
            }
            commands.add(layout.unpack(name, release, sha256.orElse(null)));
            if (component.install().isPresent()) {
                log(name, "install: " + component.install().get());
                commands.add("("
                        + Shell.inDirectory(
                                layout.releaseDir(name, release),
                                env(component, release, version),
                                component.install().get())
                        + ")");
            }
            commands.add(layout.markPrepared(name, release, version, sha256.orElse(null)));
            run(name, String.join(" && ", commands), config.installTimeout());
            job.journal().done(job.id(), step, null);
        } catch (TransportException e) {
            job.journal().failed(job.id(), step, e.getMessage());
            throw e;
        }
    }

    /** Runs a component's migrate hook in the prepared release (on the first host of the component only). */
    void migrateHook(Component component, String release, String version) throws TransportException {
        String name = component.name();
        long step = job.journal().begin(job.id(), Phase.MIGRATE, host.name(), name, "migrate", null);
        try {
            log(name, "migrate: " + component.migrate().orElseThrow());
            run(
                    name,
                    Shell.inDirectory(
                            layout.releaseDir(name, release),
                            env(component, release, version),
                            component.migrate().get()),
                    config.installTimeout());
            job.journal().done(job.id(), step, null);
        } catch (TransportException e) {
            job.journal().failed(job.id(), step, e.getMessage());
            throw e;
        }
    }

    /**
     * Repoints {@code current} to the release and restarts the component. The old target is journaled first, so
     * whoever finds this step started (this process or a later one) can put it back.
     */
    void switchTo(Component component, String release, String version, Map<String, String> oldVersions)
            throws TransportException {
        String name = component.name();
        Current before = capture(name, layout.readCurrent(name));
        long step = job.journal().begin(job.id(), Phase.SWITCH, host.name(), name, "switch", before.target());
        try {
            List<String> commands = new ArrayList<>();
            commands.add(layout.pointCurrent(name, HostLayout.linkTarget(release)));
            log(
                    name,
                    "current -> " + HostLayout.linkTarget(release)
                            + (before.isNone() ? " (first release here)" : " (was " + before.target() + ")"));
            if (!before.isNone()) {
                String oldRelease = before.release();
                log(name, "stop release " + oldRelease + ": " + component.stop());
                commands.add(stopCommand(component, oldRelease, oldVersions.getOrDefault(name, "")));
            }
            log(name, "start: " + component.start());
            commands.add(startCommand(component, release, version));
            run(name, String.join(" && ", commands), config.serviceTimeout());
            job.journal().done(job.id(), step, null);
        } catch (TransportException e) {
            job.journal().failed(job.id(), step, e.getMessage());
            throw e;
        }
    }

    /** Puts {@code current} back where a switch step found it and restarts what was there. */
    void restore(Component component, Current before, String switchedRelease, String switchedVersion, String oldVersion)
            throws TransportException {
        String name = component.name();
        long step = job.journal().begin(job.id(), Phase.ROLLBACK, host.name(), name, "restore", before.target());
        try {
            stopQuietly(component, switchedRelease, switchedVersion);
            if (before.isNone()) {
                run(name, layout.removeCurrent(name), config.stepTimeout());
                log(name, "removed current (there was no release here before)");
            } else {
                run(name, layout.pointCurrent(name, before.target()), config.stepTimeout());
                log(name, "current -> " + before.target() + " (restored)");
                start(component, before.release(), oldVersion);
            }
            job.journal().done(job.id(), step, null);
        } catch (TransportException e) {
            job.journal().failed(job.id(), step, e.getMessage());
            throw e;
        }
    }

    /** Health-checks a started component with its timeout and retries. */
    void verify(Component component, String release, String version, Phase phase) throws TransportException {
        String name = component.name();
        if (component.health().isEmpty()) {
            return;
        }
        HealthCheck check = component.health().get();
        long step = job.journal().begin(job.id(), phase, host.name(), name, "health-check", null);
        String command = check.http()
                .map(url -> HealthChecks.http(url, check.timeout()))
                .orElseGet(() -> Shell.inDirectory(
                        layout.currentDir(name),
                        env(component, release, version),
                        check.command().orElseThrow()));
        int attempts = check.retries() + 1;
        for (int attempt = 1; ; attempt++) {
            int exit = connection.exec(command, check.timeout().plusSeconds(5), sink(name));
            if (exit == 0) {
                log(name, "healthy" + (attempt > 1 ? " after " + attempt + " attempts" : ""));
                job.journal().done(job.id(), step, null);
                return;
            }
            if (attempt >= attempts) {
                String why = "health check failed " + attempts + " time(s): "
                        + check.http().orElse(check.command().orElse(""));
                job.journal().failed(job.id(), step, why);
                throw new TransportException.CommandFailed(host.name(), exit, why);
            }
            HealthChecks.pause(check.interval());
        }
    }

    /**
     * Puts {@code forHost}'s {@code component} ({@code server} in the load balancer) in {@code state}, from this host,
     * and waits for it; journaled under the host it is for, with the server as before-value, so a rollback finds every
     * server this job took out. A drain that times out is logged and the switch goes on (the stop cuts what is left).
     */
    void moveServer(LoadBalancer lb, String forHost, String component, String server, ServerState state, Phase phase)
            throws TransportException {
        long step = job.journal().begin(job.id(), phase, forHost, component, state.word(), server);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CONVEYOR_ENVIRONMENT", definition.name());
        env.put("CONVEYOR_HOST", forHost);
        env.put("CONVEYOR_COMPONENT", component);
        String command = LoadBalancerCommands.command(lb, server, state, env);
        job.log().info(forHost, component, state.word() + " " + server + " in the load balancer");
        Duration timeout = lb.timeout().plus(config.stepTimeout());
        int exit = connection.exec(
                command,
                timeout,
                (stream, line) ->
                        job.log().append(forHost, component, stream.name().toLowerCase(Locale.ROOT), line));
        if (exit == 0 || (exit == LoadBalancerCommands.TIMED_OUT && state != ServerState.READY)) {
            job.journal().done(job.id(), step, exit == 0 ? null : "sessions left after the timeout");
            return;
        }
        String why = state.word() + " of " + server + " failed (exit " + exit + ")";
        job.journal().failed(job.id(), step, why);
        throw new TransportException.CommandFailed(host.name(), exit, why);
    }

    /** Runs an environment-wide hook (maintenance {@code enter} or {@code leave}) on this host, in {@code /}. */
    void runHook(String script, String what) throws TransportException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CONVEYOR_ENVIRONMENT", definition.name());
        env.put("CONVEYOR_HOST", host.name());
        env.put("CONVEYOR_MAINTENANCE", what);
        log(null, "maintenance " + what + ": " + script);
        run(null, Shell.inDirectory("/", env, script), config.serviceTimeout());
    }

    /** Removes a release folder this job created, unless it is live. */
    void removePrepared(Component component, String release) throws TransportException {
        Current current = capture(component.name(), layout.readCurrent(component.name()));
        if (!current.target().equals(HostLayout.linkTarget(release))) {
            run(component.name(), layout.removeRelease(component.name(), release), config.stepTimeout());
            log(component.name(), "removed the prepared release " + release);
        }
    }

    /** Keeps the newest {@code keep} release folders plus the ones named, removes the rest. */
    void prune(Component component, int keep, List<String> protect) throws TransportException {
        String name = component.name();
        List<Long> releases = capture(name, layout.listReleases(name));
        for (int i = keep; i < releases.size(); i++) {
            String release = Long.toString(releases.get(i));
            if (!protect.contains(release)) {
                run(name, layout.removeRelease(name, release), config.stepTimeout());
                log(name, "pruned release " + release);
            }
        }
    }

    private void start(Component component, String release, String version) throws TransportException {
        log(component.name(), "start: " + component.start());
        run(component.name(), startCommand(component, release, version), config.serviceTimeout());
    }

    private void stop(Component component, String release, String version) throws TransportException {
        log(component.name(), "stop release " + release + ": " + component.stop());
        run(component.name(), stopCommand(component, release, version), config.serviceTimeout());
    }

    private String startCommand(Component component, String release, String version) {
        return "("
                + Shell.inDirectory(
                        layout.currentDir(component.name()), env(component, release, version), component.start())
                + ")";
    }

    private String stopCommand(Component component, String release, String version) {
        return "("
                + Shell.inDirectory(
                        layout.releaseDir(component.name(), release),
                        env(component, release, version),
                        component.stop())
                + ")";
    }

    /** During a rollback the new release may be half-started: a failing stop must not stop the restore. */
    private void stopQuietly(Component component, String release, String version) throws TransportException {
        try {
            stop(component, release, version);
        } catch (TransportException.CommandFailed | TransportException.CommandTimedOut e) {
            log(component.name(), "stop of release " + release + " failed (" + e.getMessage() + "); continuing");
        }
    }

    private Map<String, String> env(Component component, String release, String version) {
        return RecipeEnvironment.of(definition, host, component, layout, release, version, secrets);
    }

    private void run(String component, String command, Duration timeout) throws TransportException {
        connection.run(layout.locked(command), timeout, sink(component));
    }

    private <T> T capture(String component, Query<T> query) throws TransportException {
        StringBuilder out = new StringBuilder();
        connection.run(layout.locked(query.script()), config.stepTimeout(), (stream, line) -> {
            if (stream == OutputSink.Stream.STDOUT) {
                out.append(line).append('\n');
            } else {
                job.log().append(host.name(), component, "stderr", line);
            }
        });
        return query.read(host.name(), out.toString());
    }

    private OutputSink sink(String component) {
        return (stream, line) ->
                job.log().append(host.name(), component, stream.name().toLowerCase(Locale.ROOT), line);
    }

    private void log(String component, String message) {
        job.log().info(host.name(), component, message);
    }
}
