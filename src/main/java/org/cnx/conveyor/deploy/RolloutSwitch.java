package org.cnx.conveyor.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.RolloutSpec;
import org.cnx.conveyor.environment.definition.RolloutSpec.LoadBalancer;
import org.cnx.conveyor.job.JobStep;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.rollout.Batches;
import org.cnx.conveyor.rollout.CanaryAnalysis;
import org.cnx.conveyor.rollout.ServerState;
import org.cnx.conveyor.transport.TransportException;

/**
 * The switch and verify phases as a rollout: batch after batch, each host drained from the load balancer before its
 * switch and enabled after its health check, the canary batch analysed before the rest; and the way back, last batch
 * first, with the same drain and enable. Without a {@code rollout} in the definition it is one batch of every host.
 */
final class RolloutSwitch {

    /**
     * The journal's host column for steps about the whole rollout (batches, maintenance mode): a row of its own on the
     * job page, where {@code *} would mark every host's cell.
     */
    static final String ROW = "rollout";

    private final RunningJob job;
    private final Target target;
    private final HostPool hosts;
    private final RolloutSpec spec;
    private final boolean maintenance;

    RolloutSwitch(RunningJob job, Target target, HostPool hosts) {
        this.job = job;
        this.target = target;
        this.hosts = hosts;
        this.spec = target.definition().rollout();
        this.maintenance = target.maintenance();
    }

    /** The batches of this deploy; in maintenance mode the site is down anyway, so every host goes at once. */
    List<List<Host>> batches() {
        List<Host> all = List.copyOf(target.byHost().keySet());
        if (maintenance || !spec.isRolling()) {
            return all.isEmpty() ? List.of() : List.of(all);
        }
        return Batches.of(spec, all, target.definition().components().values());
    }

    /**
     * Switches and verifies every batch in turn ({@code switchHost} does both on a host, in one script); empty when all
     * are live and healthy, else why the deploy stops.
     */
    Optional<String> switchAll(HostPool.HostTask switchHost) {
        List<List<Host>> batches = batches();
        for (int i = 0; i < batches.size(); i++) {
            List<Host> batch = batches.get(i);
            String label = "batch " + (i + 1) + "/" + batches.size();
            if (i > 0 && !spec.pause().isZero()) {
                job.log().info("pausing " + spec.pause().toSeconds() + "s before " + label);
                pause(spec.pause().toMillis());
            }
            if (i > 0 && job.cancelRequested()) {
                return Optional.of("cancelled during the rollout, before " + label);
            }
            Optional<String> failure = switchBatch(batch, label, i == 0, switchHost);
            if (failure.isPresent()) {
                return failure;
            }
        }
        return Optional.empty();
    }

    private Optional<String> switchBatch(List<Host> batch, String label, boolean first, HostPool.HostTask switchHost) {
        boolean rolling = spec.isRolling() && !maintenance;
        String names = String.join(", ", batch.stream().map(Host::name).toList());
        long marker = rolling ? job.journal().begin(job.id(), Phase.SWITCH, ROW, label, "batch", names) : 0;
        String where = rolling ? " (" + label + ")" : "";
        if (rolling) {
            job.log().info(label + ": " + names + (first && spec.canary().isPresent() ? " (canary)" : ""));
        }
        Map<String, String> failures = hosts.eachHost(Phase.SWITCH, batch, work -> {
            move(work.host(), ServerState.DRAIN, Phase.SWITCH);
            switchHost.run(work);
        });
        if (!failures.isEmpty()) {
            return fail(
                    marker,
                    (onlyHealthChecks(batch, failures) ? "verify" : "switch") + " failed on "
                            + DeployRun.describe(failures) + where);
        }
        if (job.cancelRequested()) {
            return fail(marker, "cancelled during the deploy");
        }
        failures = hosts.eachHost(Phase.VERIFY, batch, work -> move(work.host(), ServerState.READY, Phase.VERIFY));
        if (!failures.isEmpty()) {
            return fail(marker, "verify failed on " + DeployRun.describe(failures) + where);
        }
        if (rolling && first && spec.canary().isPresent()) {
            Optional<String> analysis = analyseCanary();
            if (analysis.isPresent()) {
                return fail(marker, analysis.get() + where);
            }
        }
        if (rolling) {
            job.journal().done(job.id(), marker, names);
        }
        return Optional.empty();
    }

    /** Whether every host that failed had switched and then failed its health check. */
    private boolean onlyHealthChecks(List<Host> batch, Map<String, String> failures) {
        return batch.stream().filter(h -> failures.containsKey(h.name())).allMatch(h -> {
            try {
                return hosts.work(h).verifyFailed();
            } catch (TransportException e) {
                return false;
            }
        });
    }

    private Optional<String> analyseCanary() {
        CanaryAnalysis analysis = new CanaryAnalysis(spec.canary().orElseThrow());
        job.journal().phase(job.id(), Phase.VERIFY);
        job.log()
                .info("canary analysis: " + analysis.rounds() + " round(s) of "
                        + spec.canary().get().checks().size() + " check(s), every "
                        + spec.canary().get().interval().toSeconds() + "s");
        return analysis.run(
                sample -> {
                    long step = job.journal().begin(job.id(), Phase.VERIFY, "canary", "analysis", "analysis", null);
                    job.log().info(sample.describe());
                    if (sample.passed()) {
                        job.journal().done(job.id(), step, sample.describe());
                    } else {
                        job.journal().failed(job.id(), step, sample.describe());
                    }
                },
                job::cancelRequested);
    }

    private Optional<String> fail(long marker, String why) {
        if (marker != 0) {
            job.journal().failed(job.id(), marker, why);
        }
        return Optional.of(why);
    }

    /**
     * Puts back every host this job switched or took out of the load balancer, last batch first, each drained again,
     * restored by {@code restore} (given the host's switch steps, empty when it was only drained) and enabled. Returns
     * the hosts that could not be put back, with the reason.
     */
    Map<String, String> putBack(Map<String, List<JobStep>> switchedByHost, RestoreTask restore) {
        Set<String> touched = new LinkedHashSet<>(switchedByHost.keySet());
        for (JobStep step : job.steps()) {
            if (step.phase == Phase.SWITCH && step.action.equals(ServerState.DRAIN.word())) {
                touched.add(step.host);
            }
        }
        List<List<Host>> groups = new ArrayList<>(batches());
        List<Host> outside = target.definition().hosts().stream()
                .filter(h -> touched.contains(h.name()))
                .filter(h -> groups.stream().noneMatch(g -> g.contains(h)))
                .toList();
        if (!outside.isEmpty()) {
            groups.add(outside);
        }
        Map<String, String> problems = new LinkedHashMap<>();
        for (int i = groups.size() - 1; i >= 0; i--) {
            List<Host> group = groups.get(i).stream()
                    .filter(h -> touched.contains(h.name()))
                    .toList();
            if (group.isEmpty()) {
                continue;
            }
            problems.putAll(hosts.eachHost(Phase.ROLLBACK, group, work -> {
                List<JobStep> switches = switchedByHost.getOrDefault(work.host().name(), List.of());
                if (!switches.isEmpty()) {
                    move(work.host(), ServerState.DRAIN, Phase.ROLLBACK);
                    restore.run(work, switches);
                }
                try {
                    move(work.host(), ServerState.READY, Phase.ROLLBACK);
                } catch (TransportException.CommandFailed | TransportException.CommandTimedOut e) {
                    // Say what is true of the host: its files and processes are back, only traffic is not.
                    throw new TransportException.CommandFailed(
                            work.host().name(),
                            -1,
                            (switches.isEmpty() ? "never switched" : DeployRun.RESTORED)
                                    + ", but still out of the load balancer: " + e.getMessage());
                }
            }));
        }
        return problems;
    }

    /** Puts one host's components back, given the switch steps this job journaled for it. */
    @FunctionalInterface
    interface RestoreTask {
        void run(HostWork work, List<JobStep> switches) throws TransportException;
    }

    /**
     * Puts the site in maintenance mode (every load-balanced server in {@code maint}, or the {@code enter} hook), or
     * takes it out again ({@code ready}, or {@code leave}). Journaled before it acts, so whoever finishes this job
     * knows whether the site may still be in maintenance. Empty when done, else why not.
     */
    Optional<String> maintenance(boolean on, Phase phase) {
        RolloutSpec.Maintenance mode = spec.maintenance().orElseThrow();
        long step = job.journal().begin(job.id(), phase, ROW, "maintenance", "maintenance", on ? "on" : "off");
        job.log()
                .info(
                        on
                                ? "maintenance mode on: the load balancer serves the maintenance page until verify passes"
                                : "maintenance mode off: the site is served again");
        try {
            Optional<String> hook = on ? mode.enter() : mode.leave();
            if (hook.isPresent()) {
                hookHost().runHook(hook.get(), on ? "enter" : "leave");
            } else {
                LoadBalancer lb = spec.loadBalancer().orElseThrow();
                for (var byHost : lb.servers().entrySet()) {
                    Host host = target.definition().host(byHost.getKey()).orElseThrow();
                    HostWork via = lb.via().isPresent()
                            ? hosts.work(
                                    target.definition().host(lb.via().get()).orElseThrow())
                            : hosts.work(host);
                    for (var server : byHost.getValue().entrySet()) {
                        via.moveServer(
                                lb,
                                host.name(),
                                server.getKey(),
                                server.getValue(),
                                on ? ServerState.MAINT : ServerState.READY,
                                phase);
                    }
                }
            }
            job.journal().done(job.id(), step, null);
            return Optional.empty();
        } catch (TransportException e) {
            String why = "could not turn maintenance mode " + (on ? "on" : "off") + ": " + e.getMessage();
            job.journal().failed(job.id(), step, why);
            job.log().info(why);
            return Optional.of(why);
        }
    }

    /** True when the journal shows maintenance mode turned on and not yet (surely) off. */
    boolean inMaintenance() {
        JobStep last = null;
        for (JobStep step : job.steps()) {
            if (step.action.equals("maintenance")) {
                last = step;
            }
        }
        return last != null && !("off".equals(last.beforeValue) && last.state() == JobStep.State.DONE);
    }

    /** Where maintenance hooks run: the load balancer's host, else the environment's first host. */
    private HostWork hookHost() throws TransportException {
        Optional<String> via = spec.loadBalancer().flatMap(LoadBalancer::via);
        Host host = via.flatMap(name -> target.definition().host(name))
                .orElse(target.definition().hosts().get(0));
        return hosts.work(host);
    }

    /** Moves each load-balanced component of {@code host} to {@code state}; nothing without a load balancer. */
    private void move(Host host, ServerState state, Phase phase) throws TransportException {
        Optional<LoadBalancer> lb = spec.loadBalancer();
        if (lb.isEmpty() || maintenance) {
            return;
        }
        for (Component component : target.byHost().getOrDefault(host, List.of())) {
            Optional<String> server = lb.get().server(host.name(), component.name());
            if (server.isPresent()) {
                HostWork via = lb.get().via().isPresent()
                        ? hosts.work(
                                target.definition().host(lb.get().via().get()).orElseThrow())
                        : hosts.work(host);
                via.moveServer(lb.get(), host.name(), component.name(), server.get(), state, phase);
            }
        }
    }

    /** Waits between batches, in short steps so that a cancel is seen before the next batch starts. */
    private void pause(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            while (!job.cancelRequested() && System.nanoTime() < deadline) {
                TimeUnit.NANOSECONDS.sleep(Math.min(TimeUnit.SECONDS.toNanos(1), deadline - System.nanoTime()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
