package org.cnx.conveyor.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.migrate.MigrationViews.MigrationPlanView;
import org.cnx.conveyor.rollout.Batches;

/**
 * What a deploy of a release would do, before it runs: per host, each component's version now and after; the
 * migrations it would undo, apply and defer, with those that could not be undone later; and what refuses the deploy
 * outright ({@code blockers}: a release none of whose components goes to a host).
 */
public record DeployPlan(
        String environment,
        long release,
        Long liveRelease,
        List<HostPlan> hosts,
        List<String> steps,
        List<String> blockers,
        MigrationPlanView migrations) {

    /** One host's part of the plan. */
    public record HostPlan(String host, String transport, List<ComponentChange> components) {}

    /** One component on one host: {@code change} is {@code install}, {@code upgrade}, {@code redeploy}. */
    public record ComponentChange(String component, String from, String to, String change) {}

    static DeployPlan of(
            Target target, Long liveRelease, Map<String, String> liveVersions, MigrationPlanView migrations) {
        List<HostPlan> hosts = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        if (target.maintenance()) {
            steps.add("maintenance: the load balancer serves the maintenance page from before migrate until verify"
                    + " passes; every host switches at once");
        }
        migrations
                .undo()
                .forEach(m -> steps.add("migrate: undo V" + m.version() + " " + m.description()
                        + (m.reversible() ? "" : " — BLOCKED: no undo script")));
        migrations
                .apply()
                .forEach(m -> steps.add(
                        "migrate: apply " + m.script() + (m.reversible() ? "" : " — IRREVERSIBLE: no undo script")));
        for (Map.Entry<Host, List<Component>> entry : target.byHost().entrySet()) {
            Host host = entry.getKey();
            List<ComponentChange> changes = new ArrayList<>();
            for (Component component : entry.getValue()) {
                String from = liveVersions.get(component.name());
                String to = target.pin(component).version();
                String change = from == null ? "install" : from.equals(to) ? "redeploy" : "upgrade";
                changes.add(new ComponentChange(component.name(), from, to, change));
                String where = host.name() + "/" + component.name();
                steps.add("prepare " + where + ": artifact to the host's cache, unpack into releases/"
                        + target.releaseId()
                        + component.install().map(i -> ", run " + i).orElse(""));
                component
                        .migrate()
                        .ifPresent(
                                m -> steps.add("migrate " + where + ": " + m + " (first host of the component only)"));
                steps.add("switch " + where + ": current -> releases/" + target.releaseId() + ", stop the old release, "
                        + component.start());
                component
                        .health()
                        .ifPresent(h -> steps.add("verify " + where + ": "
                                + h.http().orElse(h.command().orElse("")) + " (" + (h.retries() + 1) + " attempt(s))"));
            }
            hosts.add(new HostPlan(host.name(), host.transport().yamlName(), changes));
        }
        if (!target.maintenance() && target.definition().rollout().isRolling()) {
            List<List<Host>> batches = Batches.of(
                    target.definition().rollout(),
                    List.copyOf(target.byHost().keySet()),
                    target.definition().components().values());
            for (int i = 0; i < batches.size(); i++) {
                steps.add("rollout batch " + (i + 1) + "/" + batches.size()
                        + (i == 0 && target.definition().rollout().canary().isPresent() ? " (canary, analysed)" : "")
                        + ": "
                        + String.join(
                                ", ", batches.get(i).stream().map(Host::name).toList())
                        + (target.definition().rollout().loadBalancer().isPresent()
                                ? " — drained, switched, verified, enabled"
                                : " — switched, verified"));
            }
        }
        steps.add("commit: " + target.definition().name() + " runs release " + target.releaseId()
                + "; prune to the newest " + target.definition().keepReleases() + " releases per host");
        migrations.deferred().forEach(m -> steps.add("after commit, deferred: apply " + m.script()));
        return new DeployPlan(
                target.definition().name(),
                target.release().id(),
                liveRelease,
                hosts,
                steps,
                target.nothingToDeploy().stream().toList(),
                migrations);
    }
}
