package org.cnx.conveyor.rollout;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.RolloutSpec;
import org.cnx.conveyor.environment.definition.RolloutSpec.BatchSize;

/**
 * Splits the hosts of a deploy into the batches of a rollout, in file order. The split depends only on the definition
 * and the hosts, so a recovering Conveyor finds the same batches again.
 */
public final class Batches {

    private Batches() {}

    /** The batches, first to last: the canary batch (if any) first, then batches of the configured size. */
    public static List<List<Host>> of(RolloutSpec spec, List<Host> hosts, Collection<Component> components) {
        List<List<Host>> batches = new ArrayList<>();
        List<Host> rest = new ArrayList<>(hosts);
        if (spec.canary().isPresent() && !rest.isEmpty()) {
            int canary = Math.min(spec.canary().get().hosts(), rest.size());
            batches.add(List.copyOf(rest.subList(0, canary)));
            rest = new ArrayList<>(rest.subList(canary, rest.size()));
        }
        if (rest.isEmpty()) {
            return batches;
        }
        BatchSize size = spec.batchSize();
        switch (size.unit()) {
            case ALL -> batches.add(List.copyOf(rest));
            case HOSTS -> chunk(rest, size.amount(), batches);
            case PERCENT -> chunk(rest, (int) Math.max(1, Math.ceil(hosts.size() * size.amount() / 100.0)), batches);
            case ROLE -> byRole(rest, components, batches);
        }
        return batches;
    }

    private static void chunk(List<Host> hosts, int size, List<List<Host>> batches) {
        for (int i = 0; i < hosts.size(); i += size) {
            batches.add(List.copyOf(hosts.subList(i, Math.min(hosts.size(), i + size))));
        }
    }

    /** One batch per role, in the order the components are declared; a host with several roles goes with its first. */
    private static void byRole(List<Host> hosts, Collection<Component> components, List<List<Host>> batches) {
        Set<Host> placed = new LinkedHashSet<>();
        for (String role : components.stream().map(Component::role).distinct().toList()) {
            List<Host> batch = hosts.stream()
                    .filter(h -> h.hasRole(role) && !placed.contains(h))
                    .toList();
            if (!batch.isEmpty()) {
                placed.addAll(batch);
                batches.add(batch);
            }
        }
        List<Host> left = hosts.stream().filter(h -> !placed.contains(h)).toList();
        if (!left.isEmpty()) {
            batches.add(left);
        }
    }
}
