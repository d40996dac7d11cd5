package org.cnx.conveyor.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnx.conveyor.deploy.HostLayout.Current;
import org.cnx.conveyor.deploy.HostLayout.Folder;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.job.JobStep;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.release.ReleaseViews.ComponentPin;
import org.cnx.conveyor.transport.TransportException;

/**
 * One deploy, in the order of a transactional deploy: plan, prepare, migrate hook, switch and verify (as a rollout, batch
 * by batch), commit, prune; a failure in switch or verify puts every switched host back. Also recovers a deploy whose runner died, from its journal.
 */
final class DeployRun {

    /** How a host that is back on its release, but not back in the load balancer, is described. */
    static final String RESTORED = "restored to the previous release";

    private final RunningJob job;
    private final Target target;
    private final DeployServices services;
    private final HostPool hosts;
    private final DeployDatabase migrations;
    private final RolloutSwitch rollout;

    DeployRun(RunningJob job, Target target, DeployServices services) {
        this.job = job;
        this.target = target;
        this.services = services;
        this.hosts = new HostPool(job, target.definition(), services);
        this.migrations = services.database(job, target.definition(), target.release());
        this.rollout = new RolloutSwitch(job, target, hosts);
    }

    void run() {
        try {
            logPlan();
            Map<String, String> unreachable = hosts.connectAll(target.byHost().keySet());
            if (!unreachable.isEmpty()) {
                finishFailed("cannot reach " + describe(unreachable) + "; nothing was changed");
                return;
            }
            Map<String, Path> artifacts;
            try {
                artifacts = localArtifacts();
            } catch (IOException e) {
                finishFailed(e.getMessage() + "; nothing was changed");
                return;
            }
            Optional<Long> liveRelease = rollbackAsSwitch();
            if (liveRelease.isPresent()) {
                expectLiveRelease(liveRelease.get());
            } else {
                Map<String, String> failures =
                        hosts.eachHost(Phase.PREPARE, target.byHost().keySet(), work -> prepare(work, artifacts));
                if (!failures.isEmpty()) {
                    cleanUpPrepared();
                    finishFailed("prepare failed on " + describe(failures) + "; nothing live was changed");
                    return;
                }
            }
            if (stopRequested()) {
                return;
            }
            if (target.maintenance()) {
                Optional<String> entered = rollout.maintenance(true, Phase.MIGRATE);
                if (entered.isPresent()) {
                    failBeforeSwitch(entered.get());
                    return;
                }
            }
            Optional<String> migrateFailure = migrations.run().or(this::migrateHooks);
            if (migrateFailure.isPresent()) {
                failBeforeSwitch(migrateFailure.get());
                return;
            }
            if (stopRequested()) {
                return;
            }
            Map<String, String> oldVersions = services.versionsOf(job.fromReleaseId());
            Optional<String> switchFailure = rollout.switchAll(work -> switchHost(work, oldVersions));
            if (switchFailure.isPresent()) {
                rollBack(switchFailure.get());
                return;
            }
            Optional<String> left = target.maintenance() ? rollout.maintenance(false, Phase.VERIFY) : Optional.empty();
            if (left.isPresent()) {
                rollBack(left.get());
                return;
            }
            services.committer().commit(job, target.release().id());
            job.log().info("committed: " + job.environment() + " now runs release " + target.releaseId());
            postCommit();
        } finally {
            hosts.close();
        }
    }

    /** Finishes a job whose runner died: after commit, the post-commit work; before, a rollback from the journal. */
    void recover() {
        try {
            List<JobStep> steps = job.steps();
            job.log().info("recovering: the Conveyor running this job stopped; continuing from the journal");
            switch (StoppedAt.of(steps)) {
                case AFTER_COMMIT -> postCommit();
                case AFTER_SWITCH_STARTED ->
                    rollBack("Conveyor stopped during the deploy, after hosts started to switch");
                case BEFORE_SWITCH -> failBeforeSwitch("Conveyor stopped during the deploy, before any host switched");
            }
        } finally {
            hosts.close();
        }
    }

    /** How far a deploy whose runner died had got, as its journal tells: what recovery has to finish or undo. */
    enum StoppedAt {
        /** The release is live: only the post-commit work is left. */
        AFTER_COMMIT,
        /** A host may have moved {@code current}: every switched host goes back. */
        AFTER_SWITCH_STARTED,
        /** Nothing live changed: prepared folders go and the database gets back what this job changed. */
        BEFORE_SWITCH;

        static StoppedAt of(List<JobStep> steps) {
            if (steps.stream().anyMatch(s -> s.phase == Phase.COMMIT && s.state() == JobStep.State.DONE)) {
                return AFTER_COMMIT;
            }
            return steps.stream().anyMatch(s -> s.phase == Phase.SWITCH) ? AFTER_SWITCH_STARTED : BEFORE_SWITCH;
        }
    }

    private void logPlan() {
        job.journal().phase(job.id(), Phase.PLAN);
        job.log()
                .info("plan: " + job.type().id() + " release " + target.releaseId() + " to " + job.environment() + " ("
                        + target.byHost().size() + " host(s), " + target.steps() + " component deployment(s))");
        target.byHost()
                .forEach((host, components) -> job.log()
                        .info(
                                host.name(),
                                null,
                                "will deploy "
                                        + String.join(
                                                ", ",
                                                components.stream()
                                                        .map(c -> c.name() + " "
                                                                + target.pin(c).version())
                                                        .toList())));
    }

    private Map<String, Path> localArtifacts() throws IOException {
        Map<String, Path> artifacts = new LinkedHashMap<>();
        for (Map.Entry<String, ComponentPin> entry :
                target.release().components().entrySet()) {
            if (entry.getValue().artifact() != null) {
                artifacts.put(
                        entry.getKey(),
                        services.artifacts().fetch(entry.getValue().artifact()));
            }
        }
        return artifacts;
    }

    private void prepare(HostWork work, Map<String, Path> artifacts) throws TransportException {
        List<HostWork.Preparation> preparations = new ArrayList<>();
        for (Component component : target.byHost().get(work.host())) {
            preparations.add(new HostWork.Preparation(
                    component,
                    target.pin(component).version(),
                    target.sha256(component),
                    Optional.ofNullable(artifacts.get(component.name()))));
        }
        work.prepare(preparations, target.releaseId());
    }

    /**
     * A rollback to the release the live one replaced, when the journal shows it still prepared on every host that
     * runs it, is a switch: no prepare phase. Answers the live release then (every host's {@code current} should point
     * to it; the switch checks that, and the prepared marker, on the host before it moves anything).
     */
    private Optional<Long> rollbackAsSwitch() {
        if (job.type() != JobType.ROLLBACK || job.fromReleaseId() == null) {
            return Optional.empty();
        }
        Optional<Long> live = Optional.of(job.fromReleaseId());
        Optional<Target> liveTarget = services.target(target.definition(), job.fromReleaseId());
        if (liveTarget.isEmpty() || !sameHostsAndComponents(liveTarget.get())) {
            job.log()
                    .info("rollback prepares release " + target.releaseId()
                            + " again: the live release does not run on the same hosts and components");
            return Optional.empty();
        }
        if (!services.stillPrepared(job, target.release().id(), job.fromReleaseId(), target.steps())) {
            job.log()
                    .info("rollback prepares release " + target.releaseId()
                            + " again: the journal does not show it still prepared on every host");
            return Optional.empty();
        }
        job.log()
                .info("rollback as a switch: release " + target.releaseId()
                        + " is still prepared on every host (the journal says so); no prepare phase");
        return live;
    }

    private boolean sameHostsAndComponents(Target other) {
        if (!other.byHost().keySet().equals(target.byHost().keySet())) {
            return false;
        }
        return target.byHost().entrySet().stream()
                .allMatch(e -> other.byHost().get(e.getKey()).equals(e.getValue()));
    }

    private void expectLiveRelease(long live) {
        for (var entry : target.byHost().entrySet()) {
            try {
                HostWork work = hosts.work(entry.getKey());
                for (Component component : entry.getValue()) {
                    work.expectCurrent(
                            component.name(),
                            Current.of(HostLayout.linkTarget(Long.toString(live))),
                            target.sha256(component));
                }
            } catch (TransportException e) {
                // Connected a moment ago in connectAll; the switch will report the host.
            }
        }
    }

    /**
     * Ends a deploy that stopped before any host switched: the database gets back what this job changed in it,
     * the prepared folders go, and the job ends failed (nothing changed) or rolled back (the database was put back).
     */
    private void failBeforeSwitch(String why) {
        boolean changedDatabase = migrations.changedDatabase();
        if (changedDatabase) {
            job.journal().phase(job.id(), Phase.ROLLBACK);
            job.log().info("rolling back: " + why);
        }
        List<String> leftovers = migrations.compensate();
        cleanUpPrepared();
        Optional<String> stuck = leaveMaintenance();
        if (stuck.isPresent()) {
            String detail = "load balancer: " + stuck.get() + "\nhosts: still on the previous release"
                    + (leftovers.isEmpty() ? "" : "\ndatabase: " + String.join("; ", leftovers));
            job.log().info("DEGRADED: the site could not leave maintenance mode: " + detail);
            services.committer().markDegraded(job, why + "; the site is still in maintenance mode", detail);
        } else if (!changedDatabase) {
            finishFailed(why + "; nothing was changed");
        } else if (leftovers.isEmpty()) {
            job.log().info("rolled back: this job's migrations were undone; the hosts never left the previous release");
            job.finish(j -> j.rollBack(why + "; this job's migrations were undone"));
        } else {
            String detail = "database: " + String.join("; ", leftovers) + "\nhosts: still on the previous release";
            job.log().info("DEGRADED: the database could not be put back: " + detail);
            services.committer().markDegraded(job, why + "; the database rollback is incomplete", detail);
        }
    }

    /** Each component's migrate hook runs once, on the first host that runs the component. */
    private Optional<String> migrateHooks() {
        for (Component component : target.definition().components().values()) {
            if (component.migrate().isEmpty() || !target.release().components().containsKey(component.name())) {
                continue;
            }
            Optional<Host> first = target.byHost().keySet().stream()
                    .filter(h -> h.hasRole(component.role()))
                    .findFirst();
            if (first.isEmpty()) {
                continue;
            }
            try {
                hosts.work(first.get())
                        .migrateHook(
                                component,
                                target.releaseId(),
                                target.pin(component).version());
            } catch (TransportException e) {
                return Optional.of("migrate failed on " + first.get().name() + "/" + component.name() + ": "
                        + e.getMessage() + "; nothing live was changed");
            }
        }
        return Optional.empty();
    }

    private void switchHost(HostWork work, Map<String, String> oldVersions) throws TransportException {
        List<HostWork.Switch> switches = new ArrayList<>();
        for (Component component : target.byHost().get(work.host())) {
            switches.add(new HostWork.Switch(
                    component, target.pin(component).version(), oldVersions.getOrDefault(component.name(), "")));
        }
        work.switchAndVerify(switches, target.releaseId());
    }

    /** Puts every host whose {@code current} this job may have moved back where the journal says it was. */
    private void rollBack(String reason) {
        job.journal().phase(job.id(), Phase.ROLLBACK);
        job.log().info("rolling back: " + reason);
        Map<String, List<JobStep>> switchedByHost = new LinkedHashMap<>();
        for (JobStep step : job.steps()) {
            if (step.phase == Phase.SWITCH
                    && step.action.equals("switch")
                    && SwitchState.of(step).mayHaveMoved()) {
                switchedByHost
                        .computeIfAbsent(step.host, h -> new ArrayList<>())
                        .add(step);
            }
        }
        Map<String, String> problems = rollout.putBack(switchedByHost, this::restoreHost);
        List<String> leftovers = migrations.compensate();
        cleanUpPrepared();
        Optional<String> stuck = leaveMaintenance();
        if (stuck.isPresent()) {
            problems = new LinkedHashMap<>(problems);
            problems.put("load balancer", stuck.get());
        }
        if (problems.isEmpty() && leftovers.isEmpty()) {
            job.log()
                    .info("rolled back: every host runs what it ran before"
                            + (migrations.changedDatabase() ? ", and this job's migrations were undone" : ""));
            job.finish(j -> j.rollBack(reason));
        } else {
            String detail = describeStates(switchedByHost, problems)
                    + (leftovers.isEmpty() ? "" : "\ndatabase: " + String.join("; ", leftovers));
            if (problems.isEmpty()) {
                problems = Map.of("database", String.join("; ", leftovers));
            }
            job.log().info("DEGRADED: the rollback could not finish: " + detail);
            services.committer().markDegraded(job, reason + "; rollback incomplete on " + describe(problems), detail);
        }
    }

    private void restoreHost(HostWork work, List<JobStep> switches) throws TransportException {
        List<JobStep> newestFirst = new ArrayList<>(switches);
        Collections.reverse(newestFirst);
        List<HostWork.Restore> restores = new ArrayList<>();
        for (JobStep step : newestFirst) {
            Component component = target.definition().components().get(step.component);
            Current before = Current.of(step.beforeValue);
            String oldVersion = services.versionsOf(before.isNone() ? null : Long.valueOf(before.release()))
                    .getOrDefault(component.name(), "");
            restores.add(new HostWork.Restore(
                    component, before, target.pin(component).version(), oldVersion));
        }
        work.restore(restores, target.releaseId());
    }

    /** Takes the site out of maintenance mode if this job (or the one it recovers) put it there; else why not. */
    private Optional<String> leaveMaintenance() {
        if (target.definition().rollout().maintenance().isEmpty() || !rollout.inMaintenance()) {
            return Optional.empty();
        }
        return rollout.maintenance(false, Phase.ROLLBACK);
    }

    private void cleanUpPrepared() {
        Map<Host, List<Component>> made = new LinkedHashMap<>();
        for (JobStep step : job.steps()) {
            if (step.phase != Phase.PREPARE
                    || Folder.of(step.beforeValue).orElse(null) != Folder.NEW
                    || step.state() == JobStep.State.SKIPPED) {
                continue;
            }
            Optional<Host> host = target.definition().host(step.host);
            Component component = target.definition().components().get(step.component);
            if (host.isPresent() && component != null) {
                made.computeIfAbsent(host.get(), h -> new ArrayList<>()).add(component);
            }
        }
        hosts.eachHost(null, made.keySet(), work -> work.removePrepared(made.get(work.host()), target.releaseId()))
                .forEach((host, why) -> job.log().info(host, null, "could not remove the prepared release: " + why));
    }

    /**
     * The deferred migrations' hand-over, the job's end, and only then pruning old release folders: the job is done
     * when the release is live, and the next job's scripts wait on each host's lock until the pruning there is over.
     */
    private void postCommit() {
        job.journal().phase(job.id(), Phase.POST_COMMIT);
        List<String> protect = new ArrayList<>(List.of(target.releaseId()));
        if (job.fromReleaseId() != null) {
            protect.add(job.fromReleaseId().toString());
        }
        migrations.afterCommit();
        job.log().info("succeeded");
        job.finish(j -> j.succeed());
        hosts.eachHost(
                        null,
                        target.byHost().keySet(),
                        work -> work.prune(
                                target.byHost().get(work.host()),
                                target.definition().keepReleases(),
                                protect))
                .forEach((host, problem) ->
                        job.log().info(host, null, "pruning old releases failed (the deploy stands): " + problem));
    }

    private boolean stopRequested() {
        if (!job.cancelRequested()) {
            return false;
        }
        cleanUpPrepared();
        job.log().info("cancelled before anything live changed");
        job.finish(j -> j.stopCancelled("cancelled before anything live changed"));
        return true;
    }

    private void finishFailed(String why) {
        job.log().info("failed: " + why);
        job.finish(j -> j.fail(why));
    }

    static String describe(Map<String, String> failures) {
        List<String> parts = new ArrayList<>();
        failures.forEach((host, why) -> parts.add(host + " (" + why + ")"));
        return String.join(", ", parts);
    }

    private String describeStates(Map<String, List<JobStep>> switched, Map<String, String> problems) {
        List<String> lines = new ArrayList<>();
        switched.forEach((host, steps) -> {
            String problem = problems.get(host);
            String state = problem != null && problem.startsWith(RESTORED)
                    ? problem
                    : problems.containsKey(host)
                            ? "NOT restored (" + problems.get(host) + "); components "
                                    + steps.stream()
                                            .map(s -> s.component + " was on "
                                                    + (s.beforeValue == null || s.beforeValue.isEmpty()
                                                            ? "nothing"
                                                            : s.beforeValue)
                                                    + (SwitchState.of(s) == SwitchState.SWITCHED
                                                            ? ", is on releases/"
                                                            : ", may now be on releases/")
                                                    + target.releaseId())
                                            .toList()
                            : "restored to the previous release";
            lines.add(host + ": " + state);
        });
        return String.join("\n", lines);
    }
}
