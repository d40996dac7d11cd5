package org.cnx.conveyor.environment.inventory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The groups of an inventory as cnx-deploy uses them: a group per host ({@code [prod07]}), which is that host, and
 * functional groups ({@code archive}, {@code zope}, …), which are components and hosts' roles.
 */
final class FunctionalGroups {

    private final AnsibleInventory inventory;

    FunctionalGroups(AnsibleInventory inventory) {
        this.inventory = inventory;
    }

    /**
     * Groups that stand for their single host ({@code [prod07]} holding {@code prod07.cnx.org}, {@code [prod_files00]}
     * holding {@code prod-files00.cnx.org}): a host's own group, not a component.
     */
    Set<String> perHostGroups() {
        Set<String> perHost = new LinkedHashSet<>();
        inventory.groups().forEach((group, hosts) -> {
            if (hosts.size() == 1
                    && inventory.children().getOrDefault(group, List.of()).isEmpty()
                    && sameName(group, hosts.get(0))) {
                perHost.add(group);
            }
        });
        return perHost;
    }

    private static boolean sameName(String group, String host) {
        String shortName = host.contains(".") && !host.matches("[0-9.]+") ? host.substring(0, host.indexOf('.')) : host;
        String normalized = group.replace('_', '-').toLowerCase(Locale.ROOT);
        return normalized.equals(shortName.replace('_', '-').toLowerCase(Locale.ROOT))
                || normalized.equals(host.replace('_', '-').toLowerCase(Locale.ROOT));
    }

    /** Functional groups (not all, ungrouped nor a host's own group) that reach at least one host, in file order. */
    List<String> functionalGroups() {
        Set<String> perHost = perHostGroups();
        return inventory.allGroupNames().stream()
                .filter(group -> !List.of("all", "ungrouped").contains(group) && !perHost.contains(group))
                .filter(group -> !hostsOf(group).isEmpty())
                .toList();
    }

    /** Functional groups with no host, directly nor through children (an empty {@code [authoring:children]}). */
    List<String> emptyGroups() {
        Set<String> perHost = perHostGroups();
        return inventory.allGroupNames().stream()
                .filter(group -> !List.of("all", "ungrouped").contains(group) && !perHost.contains(group))
                .filter(group -> hostsOf(group).isEmpty())
                .toList();
    }

    /** The functional groups a host belongs to, directly or through children groups: its roles. */
    List<String> functionalGroupsOf(String host) {
        Set<String> perHost = perHostGroups();
        return inventory.groupsOf(host).stream()
                .filter(group -> !perHost.contains(group))
                .toList();
    }

    /** Hosts of a group, directly or through children groups at any depth. */
    Set<String> hostsOf(String group) {
        Set<String> hosts = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        List<String> pending = new ArrayList<>(List.of(group));
        while (!pending.isEmpty()) {
            String next = pending.remove(pending.size() - 1);
            if (seen.add(next)) {
                hosts.addAll(inventory.groups().getOrDefault(next, List.of()));
                pending.addAll(inventory.children().getOrDefault(next, List.of()));
            }
        }
        return hosts;
    }

    /** Whether a group only gathers other functional groups, like {@code [zope:children]} of zeo and zclient. */
    boolean gathersGroups(String group) {
        Set<String> perHost = perHostGroups();
        List<String> members = inventory.children().getOrDefault(group, List.of());
        return inventory.groups().getOrDefault(group, List.of()).isEmpty()
                && !members.isEmpty()
                && members.stream().noneMatch(perHost::contains);
    }
}
