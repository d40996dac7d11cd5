package org.cnx.conveyor.deploy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.cnx.conveyor.deploy.HostLayout.Current;
import org.cnx.conveyor.deploy.HostLayout.Folder;
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

/**
 * The work of one job on one host, one script per phase (prepare; switch and verify; restore; clean-up; prune), each
 * step journaled before it acts and marked from what the host reports.
 */
final class HostWork {

    private final RunningJob job;
    private final EnvironmentDefinition definition;
    private final Host host;
    private final HostLayout layout;
    private final HostConnection connection;
    private final DeployConfig config;
    private final UnaryOperator<String> secrets;
    private final Map<String, Current> currentSeen = new ConcurrentHashMap<>();
    private final Map<String, String> shas = new ConcurrentHashMap<>();
    private volatile boolean verifyFailed;
    private volatile TransportException failure;

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

    /** One component's prepare: what it deploys, and the artifact to send when the host lacks it. */
    record Preparation(Component component, String version, Optional<String> sha256, Optional<Path> artifact) {}

    /**
     * Makes {@code releases/<id>} ready for every component at once (artifact cached and verified, unpacked, installed;
     * nothing live changes), in one script: per component it answers where {@code current} points (kept for the
     * switch's journal) and what was left to do, and asks for the artifact only when the host's cache lacks it. Each
     * step is journaled before the script is sent, as making a new folder, and marked skipped when the folder turns
     * out to be ready already: so only folders this job made are removed when it fails, even if Conveyor dies.
     */
    void prepare(List<Preparation> preparations, String release) throws TransportException {
        PhaseScript script = new PhaseScript(layout.root());
        Map<Integer, Path> inputs = new HashMap<>();
        Map<Integer, ScriptRun.StepListener> listeners = new HashMap<>();
        for (Preparation p : preparations) {
            String name = p.component().name();
            p.sha256().ifPresent(sha -> shas.put(name, sha));
            String body = prepareBody(p, release, script.steps().size() + 1);
            int number = p.artifact().isPresent()
                    ? script.addReadingInput(body, PhaseScript.OnFailure.STOP, config.installTimeout())
                    : script.add(body, PhaseScript.OnFailure.STOP, config.installTimeout());
            p.artifact().ifPresent(file -> inputs.put(number, file));
            long step = job.journal().begin(job.id(), Phase.PREPARE, host.name(), name, "prepare", Folder.NEW.word());
            listeners.put(number, new PrepareStep(step, p, release));
        }
        runScript(script, inputs, listeners);
    }

    /** A prepare step: logs what the host still had to do, remembers {@code current}, skipped when already ready. */
    private final class PrepareStep extends JournaledStep {
        private final Preparation preparation;
        private final String release;
        private boolean skipped;

        PrepareStep(long step, Preparation preparation, String release) {
            super(step, preparation.component().name());
            this.preparation = preparation;
            this.release = release;
        }

        @Override
        public void answered(List<String> words) {
            String name = preparation.component().name();
            Optional<String> install = preparation.component().install();
            switch (words.get(0)) {
                case "current" ->
                    currentSeen.put(name, Current.parse(String.join(" ", words.subList(1, words.size()))));
                case "prepared" -> {
                    skipped = true;
                    log(name, "release " + release + " is already prepared here");
                    job.journal().skipped(job.id(), step, "already prepared");
                }
                case "missing" -> {
                    preparation.sha256().ifPresent(sha -> log(name, "sending artifact " + sha.substring(0, 12) + "…"));
                    install.ifPresent(command -> log(name, "install: " + command));
                }
                case "cached" -> {
                    log(name, "artifact " + preparation.sha256().orElseThrow().substring(0, 12) + "… already cached");
                    install.ifPresent(command -> log(name, "install: " + command));
                }
                default -> {}
            }
        }

        @Override
        public void ended(int exit) {
            if (!skipped) {
                super.ended(exit);
            }
        }
    }

    private String prepareBody(Preparation p, String release, int number) {
        String name = p.component().name();
        String sha = p.sha256().orElse(null);
        List<String> commands = new ArrayList<>();
        commands.add(layout.ensureFolders(name));
        commands.add(PhaseScript.mark(
                "answer", number, "current", "\"$(" + layout.readCurrent(name).script() + ")\""));
        commands.add("if " + layout.isPrepared(name, release, p.version(), sha) + "; then "
                + PhaseScript.mark("answer", number, "prepared") + "; exit 0; fi");
        if (sha == null) {
            commands.add(PhaseScript.mark("answer", number, "missing"));
        } else {
            String upload = layout.cachedArtifact(sha) + ".upload-" + job.id();
            long size = p.artifact().map(HostWork::size).orElse(-1L);
            String fetch = size < 0
                    ? PhaseScript.complain("the artifact " + sha + " is neither cached here nor available to send")
                            + "; exit 1"
                    : PhaseScript.mark("answer", number, "missing") + " && " + PhaseScript.mark("need", number)
                            + " && head -c " + size + " > " + Shell.quote(upload) + " && "
                            + layout.verifyUpload(upload, sha);
            commands.add("if [ -f " + Shell.quote(layout.cachedArtifact(sha)) + " ]; then "
                    + PhaseScript.mark("answer", number, "cached") + "; else " + fetch + "; fi");
        }
        commands.add(layout.unpack(name, release, sha));
        p.component()
                .install()
                .ifPresent(install -> commands.add(PhaseScript.recipe(
                        Shell.inDirectory(
                                layout.releaseDir(name, release), env(p.component(), release, p.version()), install),
                        config.installTimeout())));
        commands.add(layout.markPrepared(name, release, p.version(), sha));
        return String.join(" &&\n", commands);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Where {@code current} points for a component, for a rollback that skips prepare because the journal shows its
     * release still prepared: the switch journals it as the value to put back (and checks it on the host).
     */
    void expectCurrent(String component, Current current, Optional<String> sha256) {
        currentSeen.put(component, current);
        sha256.ifPresent(sha -> shas.put(component, sha));
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

    /** One component's switch: the release's version, and the version it replaces (to stop the old one). */
    record Switch(Component component, String version, String oldVersion) {}

    /** The word a phase script answers once it has moved {@code current}. */
    private static final String SWITCHED = SwitchState.SWITCHED.word();

    /**
     * Repoints {@code current} of every component to the release, stops what ran before and starts the new one, then
     * health-checks each (with its retries), all in one script. Each switch step is journaled before the script is
     * sent with where {@code current} pointed, so whoever finds it started (this process or a later one) can put it
     * back; the host reports the moment it moved the link, so a host lost mid-switch is described exactly.
     */
    void switchAndVerify(List<Switch> switches, String release) throws TransportException {
        verifyFailed = false;
        PhaseScript script = new PhaseScript(layout.root());
        Map<Integer, ScriptRun.StepListener> listeners = new HashMap<>();
        for (Switch sw : switches) {
            String name = sw.component().name();
            Current before = currentSeen.getOrDefault(name, Current.NONE);
            int number = script.add(
                    switchBody(sw, release, before, script.steps().size() + 1),
                    PhaseScript.OnFailure.STOP,
                    config.serviceTimeout().multipliedBy(2).plus(config.stepTimeout()));
            log(
                    name,
                    "current -> " + HostLayout.linkTarget(release)
                            + (before.isNone() ? " (first release here)" : " (was " + before.target() + ")"));
            long step = job.journal().begin(job.id(), Phase.SWITCH, host.name(), name, "switch", before.target());
            listeners.put(number, new JournaledStep(step, name) {
                {
                    reached = SwitchState.NOT_SWITCHED.prefix();
                }

                @Override
                public void unfinished(boolean mayHaveBegun, String why) {
                    if (mayHaveBegun && reached.equals(SwitchState.NOT_SWITCHED.prefix())) {
                        reached = SwitchState.UNKNOWN.prefix();
                    }
                    super.unfinished(mayHaveBegun, why);
                }

                @Override
                public void answered(List<String> words) {
                    if (words.get(0).equals(SWITCHED)) {
                        reached = SwitchState.SWITCHED.prefix();
                        job.journal().progress(job.id(), step, SwitchState.SWITCHED.word());
                        if (!before.isNone()) {
                            log(
                                    name,
                                    "stop release " + before.release() + ": "
                                            + sw.component().stop());
                        }
                        log(name, "start: " + sw.component().start());
                    }
                }
            });
        }
        for (Switch sw : switches) {
            addVerify(script, listeners, sw.component(), release, sw.version(), Phase.VERIFY);
        }
        runScript(script, Map.of(), listeners);
    }

    /** True when the last {@link #switchAndVerify} failed in a health check, not in the switch itself. */
    boolean verifyFailed() {
        return verifyFailed;
    }

    private String switchBody(Switch sw, String release, Current before, int number) {
        Component component = sw.component();
        String name = component.name();
        List<String> commands = new ArrayList<>();
        commands.add(guard(
                layout.isPrepared(name, release, sw.version(), shas.get(name)),
                "release " + release + " of " + name + " is not prepared on this host; nothing was switched here"));
        commands.add(guard(
                "[ \"$(" + layout.readCurrent(name).script() + ")\" = " + Shell.quote(before.target()) + " ]",
                "current of " + name + " no longer points to " + (before.isNone() ? "nothing" : before.target())
                        + " (changed outside Conveyor); nothing was switched here"));
        commands.add(layout.pointCurrent(name, HostLayout.linkTarget(release)));
        commands.add(PhaseScript.mark("answer", number, SWITCHED));
        if (!before.isNone()) {
            commands.add(PhaseScript.recipe(
                    stopCommand(component, before.release(), sw.oldVersion()), config.serviceTimeout()));
        }
        commands.add(PhaseScript.recipe(startCommand(component, release, sw.version()), config.serviceTimeout()));
        return String.join(" &&\n", commands);
    }

    private static String guard(String test, String message) {
        return "{ " + test + " || { " + PhaseScript.complain(message) + "; exit 3; }; }";
    }

    /** Adds a component's health check (all its attempts) as one step, journaled when it begins. */
    private void addVerify(
            PhaseScript script,
            Map<Integer, ScriptRun.StepListener> listeners,
            Component component,
            String release,
            String version,
            Phase phase) {
        if (component.health().isEmpty()) {
            return;
        }
        HealthCheck check = component.health().get();
        String name = component.name();
        String command = check.http()
                .map(url -> HealthChecks.http(url, check.timeout()))
                .orElseGet(() -> Shell.inDirectory(
                        layout.currentDir(name),
                        env(component, release, version),
                        check.command().orElseThrow()));
        int attempts = check.retries() + 1;
        int number = script.steps().size() + 1;
        String body = "conveyor_a=0; while :; do conveyor_a=$((conveyor_a+1)); if "
                + PhaseScript.recipe(command, check.timeout().plusSeconds(5)) + "; then "
                + PhaseScript.mark("answer", number, "healthy", "$conveyor_a") + "; exit 0; fi; if [ $conveyor_a -ge "
                + attempts + " ]; then exit 1; fi; sleep " + seconds(check.interval()) + "; done";
        script.add(
                body,
                PhaseScript.OnFailure.STOP,
                check.timeout().plusSeconds(5).plus(check.interval()).multipliedBy(attempts));
        listeners.put(
                number,
                new VerifyStep(
                        name,
                        phase,
                        attempts,
                        check.http().orElse(check.command().orElse(""))));
    }

    /** A health check: journaled when the host begins it, failed with the number of attempts. */
    private final class VerifyStep implements ScriptRun.StepListener {
        private final String component;
        private final Phase phase;
        private final int attempts;
        private final String what;
        private long step;

        VerifyStep(String component, Phase phase, int attempts, String what) {
            this.component = component;
            this.phase = phase;
            this.attempts = attempts;
            this.what = what;
        }

        @Override
        public void begun() {
            step = job.journal().begin(job.id(), phase, host.name(), component, "health-check", null);
        }

        @Override
        public void answered(List<String> words) {
            int attempt = Integer.parseInt(words.get(1));
            log(component, "healthy" + (attempt > 1 ? " after " + attempt + " attempts" : ""));
        }

        @Override
        public void ended(int exit) {
            if (exit == 0) {
                job.journal().done(job.id(), step, null);
                return;
            }
            verifyFailed = true;
            String why = "health check failed " + attempts + " time(s): " + what;
            job.journal().failed(job.id(), step, why);
            if (failure == null) {
                failure = new TransportException.CommandFailed(host.name(), exit, why);
            }
        }

        @Override
        public void unfinished(boolean mayHaveBegun, String why) {
            if (step != 0) {
                job.journal().failed(job.id(), step, why);
            }
        }
    }

    private static String seconds(Duration interval) {
        return BigDecimal.valueOf(interval.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    /** One component to put back: where {@code current} pointed before this job, and the versions on each side. */
    record Restore(Component component, Current before, String switchedVersion, String oldVersion) {}

    /**
     * Puts {@code current} of each component back where the journal says it was (in the order given: newest switch
     * first), stops what this job started (a failing stop does not stop the restore), and starts and health-checks
     * what was there: one script.
     */
    void restore(List<Restore> restores, String switchedRelease) throws TransportException {
        PhaseScript script = new PhaseScript(layout.root());
        Map<Integer, ScriptRun.StepListener> listeners = new HashMap<>();
        for (Restore r : restores) {
            Component component = r.component();
            String name = component.name();
            List<String> commands = new ArrayList<>();
            commands.add("{ "
                    + PhaseScript.recipe(
                            stopCommand(component, switchedRelease, r.switchedVersion()), config.serviceTimeout())
                    + " || echo \"stop of release " + switchedRelease + " failed (exit $?); continuing\" >&2; }");
            if (r.before().isNone()) {
                commands.add(layout.removeCurrent(name));
            } else {
                commands.add(layout.pointCurrent(name, r.before().target()));
                commands.add(PhaseScript.recipe(
                        startCommand(component, r.before().release(), r.oldVersion()), config.serviceTimeout()));
            }
            int number = script.add(
                    String.join(" &&\n", commands),
                    PhaseScript.OnFailure.STOP,
                    config.serviceTimeout().multipliedBy(2));
            log(name, "stop release " + switchedRelease + ": " + component.stop());
            long step = job.journal()
                    .begin(
                            job.id(),
                            Phase.ROLLBACK,
                            host.name(),
                            name,
                            "restore",
                            r.before().target());
            listeners.put(number, new JournaledStep(step, name) {
                @Override
                public void ended(int exit) {
                    if (exit == 0) {
                        log(
                                name,
                                r.before().isNone()
                                        ? "removed current (there was no release here before)"
                                        : "current -> " + r.before().target() + " (restored); start: "
                                                + component.start());
                    }
                    super.ended(exit);
                }
            });
            if (!r.before().isNone()) {
                addVerify(script, listeners, component, r.before().release(), r.oldVersion(), Phase.ROLLBACK);
            }
        }
        runScript(script, Map.of(), listeners);
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

    /** Removes the release folders this job created for {@code components}, unless live: one script. */
    void removePrepared(List<Component> components, String release) throws TransportException {
        PhaseScript script = new PhaseScript(layout.root());
        Map<Integer, ScriptRun.StepListener> listeners = new HashMap<>();
        for (Component component : components) {
            String name = component.name();
            int number = script.steps().size() + 1;
            script.add(
                    "[ \"$(" + layout.readCurrent(name).script() + ")\" = "
                            + Shell.quote(HostLayout.linkTarget(release)) + " ] || { "
                            + layout.removeRelease(name, release) + " && "
                            + PhaseScript.mark("answer", number, "removed") + "; }",
                    PhaseScript.OnFailure.CONTINUE,
                    config.stepTimeout());
            listeners.put(number, quiet(words -> log(name, "removed the prepared release " + release)));
        }
        runScript(script, Map.of(), listeners);
    }

    /**
     * Keeps the newest {@code keep} release folders of each component plus the ones named, removes the rest: one
     * script, run after the job has ended, at the host's lowest CPU priority.
     */
    void prune(List<Component> components, int keep, List<String> protect) throws TransportException {
        PhaseScript script = new PhaseScript(layout.root()).priority(PhaseScript.Priority.LOW);
        Map<Integer, ScriptRun.StepListener> listeners = new HashMap<>();
        String kept = " "
                + String.join(
                        " ", protect.stream().map(HostLayout::checkRelease).toList()) + " ";
        for (Component component : components) {
            String name = component.name();
            int number = script.steps().size() + 1;
            script.add(
                    "cd " + Shell.quote(layout.componentDir(name) + "/releases") + " 2>/dev/null || exit 0; "
                            + "ls -1 | grep -E '^[0-9]{1,18}$' | sort -rn | tail -n +" + (keep + 1)
                            + " | while read -r r; do case " + Shell.quote(kept) + " in *\" $r \"*) ;; *) rm -rf"
                            + " \"$r\" \"$r.unpacking\" && " + PhaseScript.mark("answer", number, "pruned", "\"$r\"")
                            + ";; esac; done",
                    PhaseScript.OnFailure.CONTINUE,
                    config.stepTimeout());
            listeners.put(number, quiet(words -> log(name, "pruned release " + words.get(1))));
        }
        runScript(script, Map.of(), listeners);
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

    private Map<String, String> env(Component component, String release, String version) {
        return RecipeEnvironment.of(definition, host, component, layout, release, version, secrets);
    }

    private void run(String component, String command, Duration timeout) throws TransportException {
        connection.run(layout.locked(command), timeout, sink(component));
    }

    /**
     * Runs a phase script; the first failure a step reported (or the exec's own) is thrown after every listener has
     * been told.
     */
    private void runScript(
            PhaseScript script, Map<Integer, Path> inputs, Map<Integer, ScriptRun.StepListener> listeners)
            throws TransportException {
        if (script.isEmpty()) {
            return;
        }
        failure = null;
        int exit = ScriptRun.run(connection, script, inputs, listeners, sink(null));
        if (failure != null) {
            throw failure;
        }
        if (exit != 0) {
            throw new TransportException.CommandFailed(host.name(), exit, "exited with status " + exit);
        }
    }

    /** A step that only reports what it did (cleaning up, pruning): no journal, failures logged by the script. */
    private static ScriptRun.StepListener quiet(Consumer<List<String>> onAnswer) {
        return new ScriptRun.StepListener() {
            @Override
            public void answered(List<String> words) {
                onAnswer.accept(words);
            }

            @Override
            public void ended(int exit) {}

            @Override
            public void unfinished(boolean mayHaveBegun, String why) {}
        };
    }

    /** A step journaled before the script was sent: done or failed from its end marker, skipped when never reached. */
    private class JournaledStep implements ScriptRun.StepListener {
        protected final long step;
        private final String component;
        /** How far the step got before it failed, kept in front of the reason ({@link SwitchState}). */
        protected String reached = "";

        JournaledStep(long step, String component) {
            this.step = step;
            this.component = component;
        }

        @Override
        public void ended(int exit) {
            if (exit == 0) {
                job.journal().done(job.id(), step, null);
                return;
            }
            String why = exit == PhaseScript.TIMED_OUT
                    ? "a command ran out of time (exit " + exit + ")"
                    : "exited with status " + exit;
            job.journal().failed(job.id(), step, reached + why);
            if (failure == null) {
                failure = exit == PhaseScript.TIMED_OUT
                        ? new TransportException.CommandTimedOut(host.name(), component + ": " + why)
                        : new TransportException.CommandFailed(host.name(), exit, component + ": " + why);
            }
        }

        @Override
        public void unfinished(boolean mayHaveBegun, String why) {
            if (mayHaveBegun) {
                job.journal().failed(job.id(), step, reached + why);
            } else {
                job.journal().skipped(job.id(), step, "not run: " + why);
            }
        }
    }

    private OutputSink sink(String component) {
        return (stream, line) ->
                job.log().append(host.name(), component, stream.name().toLowerCase(Locale.ROOT), line);
    }

    private void log(String component, String message) {
        job.log().info(host.name(), component, message);
    }
}
