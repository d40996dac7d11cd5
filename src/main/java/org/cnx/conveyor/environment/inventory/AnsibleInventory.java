package org.cnx.conveyor.environment.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An Ansible INI inventory file: hosts with inline variables, groups, children groups and group variables.
 *
 * @param groups direct host members of each group, groups in file order
 * @param children child groups of each {@code [group:children]} section
 * @param hostVariables inline {@code key=value} variables of each host
 * @param groupVariables variables of each {@code [group:vars]} section, including {@code all}
 */
record AnsibleInventory(
        Map<String, List<String>> groups,
        Map<String, List<String>> children,
        Map<String, Map<String, String>> hostVariables,
        Map<String, Map<String, String>> groupVariables) {

    static final String FILE = "inventory";

    static AnsibleInventory read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new InventoryImportException(FILE, 0, "missing inventory file in " + dir);
        }
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    static AnsibleInventory parse(List<String> lines) {
        AnsibleInventory inventory = new AnsibleInventory(
                new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        Map<String, Integer> childLines = new LinkedHashMap<>();
        String group = "ungrouped";
        String sectionKind = "hosts";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int lineNumber = i + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    throw new InventoryImportException(
                            FILE, lineNumber, "expected a section like [group], found " + line);
                }
                String[] header = line.substring(1, line.length() - 1).strip().split(":", 2);
                group = header[0];
                sectionKind = header.length == 2 ? header[1] : "hosts";
                if (!List.of("hosts", "children", "vars").contains(sectionKind)) {
                    throw new InventoryImportException(
                            FILE,
                            lineNumber,
                            "expected a section [group], [group:children] or [group:vars], found " + line);
                }
                inventory.sectionFor(group, sectionKind);
                continue;
            }
            switch (sectionKind) {
                case "children" -> {
                    inventory.children.get(group).add(line);
                    childLines.putIfAbsent(group + ":" + line, lineNumber);
                }
                case "vars" -> inventory.groupVariables.get(group).putAll(assignments(List.of(line), lineNumber));
                default -> inventory.addHost(group, line, lineNumber);
            }
        }
        childLines.forEach((entry, lineNumber) -> {
            String child = entry.substring(entry.indexOf(':') + 1);
            if (!inventory.groups.containsKey(child) && !inventory.children.containsKey(child)) {
                throw new InventoryImportException(
                        FILE,
                        lineNumber,
                        "unknown children group " + child + " in [" + entry.substring(0, entry.indexOf(':'))
                                + ":children]");
            }
        });
        return inventory;
    }

    private void sectionFor(String group, String kind) {
        switch (kind) {
            case "children" -> children.computeIfAbsent(group, name -> new ArrayList<>());
            case "vars" -> groupVariables.computeIfAbsent(group, name -> new LinkedHashMap<>());
            default -> groups.computeIfAbsent(group, name -> new ArrayList<>());
        }
    }

    // A host name also names its host_vars file: '/' or '..' would read files outside the inventory.
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_\\[][A-Za-z0-9._:\\[\\]-]{0,252}");

    private void addHost(String group, String line, int lineNumber) {
        List<String> tokens = List.of(line.split("\\s+"));
        String host = tokens.get(0);
        if (!HOST_NAME.matcher(host).matches() || host.contains("..")) {
            throw new InventoryImportException(
                    FILE,
                    lineNumber,
                    "expected a host name or address (letters, digits, '.', '-', '_', ':',"
                            + " '[', ']'; no '/' and no '..'), found " + host);
        }
        groups.computeIfAbsent(group, name -> new ArrayList<>());
        if (!groups.get(group).contains(host)) {
            groups.get(group).add(host);
        }
        hostVariables
                .computeIfAbsent(host, name -> new LinkedHashMap<>())
                .putAll(assignments(tokens.subList(1, tokens.size()), lineNumber));
    }

    private static Map<String, String> assignments(List<String> tokens, int lineNumber) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String token : tokens) {
            int equals = token.indexOf('=');
            if (equals <= 0) {
                throw new InventoryImportException(FILE, lineNumber, "expected key=value, found " + token);
            }
            values.put(
                    token.substring(0, equals).strip(),
                    unquote(token.substring(equals + 1).strip()));
        }
        return values;
    }

    private static String unquote(String value) {
        boolean quoted = value.length() >= 2
                && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }

    /** Every host, in order of first appearance. */
    List<String> hosts() {
        Set<String> hosts = new LinkedHashSet<>();
        groups.values().forEach(hosts::addAll);
        return List.copyOf(hosts);
    }

    /** Groups the host belongs to directly or through children groups, in file order, without all/ungrouped. */
    List<String> groupsOf(String host) {
        Set<String> member = new LinkedHashSet<>();
        groups.forEach((group, hosts) -> {
            if (hosts.contains(host)) {
                member.add(group);
            }
        });
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, List<String>> parent : children.entrySet()) {
                if (!member.contains(parent.getKey())
                        && parent.getValue().stream().anyMatch(member::contains)) {
                    grew = member.add(parent.getKey());
                }
            }
        }
        member.removeAll(List.of("all", "ungrouped"));
        List<String> ordered = new ArrayList<>();
        allGroupNames().stream().filter(member::contains).forEach(ordered::add);
        return ordered;
    }

    /** Every group name, hosts sections first then children sections, in file order. */
    List<String> allGroupNames() {
        Set<String> names = new LinkedHashSet<>(groups.keySet());
        names.addAll(children.keySet());
        return List.copyOf(names);
    }

    /** A connection variable for a host: inline value first, then its groups' vars, then {@code [all:vars]}. */
    String variable(String host, String key) {
        String inline = hostVariables.getOrDefault(host, Map.of()).get(key);
        if (inline != null) {
            return inline;
        }
        for (String group : groupsOf(host)) {
            String value = groupVariables.getOrDefault(group, Map.of()).get(key);
            if (value != null) {
                return value;
            }
        }
        return groupVariables.getOrDefault("all", Map.of()).get(key);
    }
}
