package org.cnx.conveyor.deploy;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.release.ReleaseViews.ComponentPin;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;

/** Which components of a release go to which host: the definition's components that the release pins. */
record Target(EnvironmentDefinition definition, ReleaseView release, Map<Host, List<Component>> byHost) {

    static Target of(EnvironmentDefinition definition, ReleaseView release) {
        Map<Host, List<Component>> byHost = new LinkedHashMap<>();
        for (Host host : definition.hosts()) {
            List<Component> components = definition.components().values().stream()
                    .filter(c -> host.hasRole(c.role()) && release.components().containsKey(c.name()))
                    .toList();
            if (!components.isEmpty()) {
                byHost.put(host, components);
            }
        }
        return new Target(definition, release, byHost);
    }

    String releaseId() {
        return Long.toString(release.id());
    }

    ComponentPin pin(Component component) {
        return release.components().get(component.name());
    }

    Optional<String> sha256(Component component) {
        ComponentPin pin = pin(component);
        return pin.artifact() == null
                ? Optional.empty()
                : Optional.of(pin.artifact().sha256());
    }

    /**
     * Whether this deploy puts the site in maintenance mode: the environment has a {@code rollout.maintenance} and it
     * applies to every deploy ({@code always}) or the release asks for it ({@code [maintenance]} in its notes).
     */
    boolean maintenance() {
        return definition.rollout().maintenance().isPresent()
                && (definition.rollout().maintenance().get().always()
                        || (release.notes() != null && release.notes().contains(MAINTENANCE_FLAG)));
    }

    /** What a release's notes carry to ask for maintenance mode. */
    static final String MAINTENANCE_FLAG = "[maintenance]";

    int steps() {
        return byHost.values().stream().mapToInt(List::size).sum();
    }

    /**
     * Why a deploy of this release would change nothing on any host, naming the release's components and the
     * environment's; empty when at least one component goes to a host.
     */
    Optional<String> nothingToDeploy() {
        if (!byHost.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("release " + release.id() + " deploys nothing to environment \"" + definition.name()
                + "\": its components (" + names(release.components().keySet()) + ") match none of the environment's"
                + " components (" + names(definition.components().keySet())
                + "); create a release that pins at least one of them");
    }

    private static String names(Collection<String> names) {
        return names.isEmpty()
                ? "none"
                : String.join(", ", names.stream().sorted().toList());
    }
}
