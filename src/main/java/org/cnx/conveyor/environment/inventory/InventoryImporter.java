package org.cnx.conveyor.environment.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cnx.conveyor.environment.definition.DefinitionParser;
import org.cnx.conveyor.environment.definition.DefinitionProblem;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Kind;
import org.cnx.conveyor.environment.definition.ParseResult;
import org.cnx.conveyor.environment.inventory.DefinitionYamlWriter.ImportedHost;

/**
 * Imports an Ansible inventory directory shaped like openstax/cnx-deploy's ({@code inventory},
 * {@code group_vars/all/*.yml}, {@code host_vars/}, {@code versions.yml}) as an environment definition.
 */
public final class InventoryImporter {

    private static final String DEFAULT_USER = "deploy";
    private static final int DEFAULT_PORT = 22;

    /** Reads the directory and returns a definition that parses without problems, or throws naming the bad file. */
    public ImportResult importDirectory(Path dir, String environmentName, Kind kind, String stage) {
        return importDirectory(dir, environmentName, kind, stage, null);
    }

    /** As above, decrypting Ansible Vault variable files with {@code vaultPassword} (null: they are skipped). */
    public ImportResult importDirectory(
            Path dir, String environmentName, Kind kind, String stage, String vaultPassword) {
        if (!environmentName.matches("[a-z][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException(
                    "Environment name must match ^[a-z][a-z0-9-]{0,62}$: " + environmentName);
        }
        List<String> warnings = new ArrayList<>();
        AnsibleInventory inventory = AnsibleInventory.read(dir);
        VariableFiles variableFiles = new VariableFiles(dir, vaultPassword, warnings);
        VersionPins pins = VersionPins.read(dir, warnings);
        Map<String, String> secrets = new LinkedHashMap<>();
        VariableFlattener flattener =
                new VariableFlattener(environmentName, warnings, secrets, variableFiles.vaultedNames());
        Map<String, Object> groupVariables = groupVariables(dir, variableFiles);
        Map<String, Object> shared = new LinkedHashMap<>(pins.variables());
        shared.putAll(groupVariables);
        Map<String, String> variables =
                flattener.flatten(new JinjaReferences(shared, flattener::secretOf).resolveAll(groupVariables));
        HostVariables hostVariables = new HostVariables(environmentName, shared, flattener, warnings, secrets);
        List<ImportedHost> hosts = hosts(dir, variableFiles, inventory, hostVariables, warnings);
        List<String> components = components(inventory, warnings);
        reportUnimportedGroupVariables(dir, inventory, warnings);
        Map<String, List<String>> dependencies = dependencies(pins, new JinjaReferences(shared, flattener::secretOf));
        dependencies.forEach((component, list) -> {
            list.stream()
                    .filter(item -> item.contains("{{") || item.contains("{%"))
                    .forEach(item -> warnings.add("deploy dependency of " + component
                            + " uses a Jinja expression that cannot be resolved, copied as written: " + item));
            if (!components.contains(component)) {
                warnings.add("deploy dependencies of " + component + " are not kept: no component " + component
                        + " in the inventory (" + String.join(", ", list) + ")");
            }
        });
        String yaml = new DefinitionYamlWriter()
                .write(environmentName, kind, stage, hosts, components, dependencies, variables);
        checkParses(environmentName, yaml);
        return new ImportResult(environmentName, yaml, pins.versions(), warnings, secrets);
    }

    /** Variables of single groups ({@code group_vars/archive.yml}, {@code [archive:vars]}) have no place yet. */
    private static void reportUnimportedGroupVariables(Path dir, AnsibleInventory inventory, List<String> warnings) {
        inventory
                .groupVariables()
                .forEach((group, values) -> values.keySet().stream()
                        .filter(key -> !HostVariables.CONNECTION.contains(key))
                        .forEach(key -> warnings.add("inventory [" + group + ":vars] " + key + " is not imported")));
        Path groupVars = dir.resolve("group_vars");
        if (!Files.isDirectory(groupVars)) {
            return;
        }
        try (Stream<Path> files = Files.list(groupVars)) {
            files.map(path -> path.getFileName().toString())
                    .filter(name -> !List.of("all", "all.yml", "all.yaml").contains(name))
                    .sorted()
                    .forEach(name -> warnings.add("group_vars/" + name + " is not imported: only group_vars/all is"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + groupVars, e);
        }
    }

    /** Deploy dependencies with their {@code {{ archive_version }}} references resolved where known. */
    private static Map<String, List<String>> dependencies(VersionPins pins, JinjaReferences references) {
        Map<String, List<String>> resolved = new LinkedHashMap<>();
        references
                .resolveAll(new LinkedHashMap<>(pins.dependencies()))
                .forEach((component, list) -> resolved.put(
                        component,
                        ((List<?>) list).stream().map(String::valueOf).toList()));
        return resolved;
    }

    private static List<ImportedHost> hosts(
            Path dir,
            VariableFiles variableFiles,
            AnsibleInventory inventory,
            HostVariables hostVariables,
            List<String> warnings) {
        List<ImportedHost> hosts = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String inventoryName : inventory.hosts()) {
            List<String> roles = new FunctionalGroups(inventory)
                    .functionalGroupsOf(inventoryName).stream()
                            .map(InventoryImporter::roleName)
                            .toList();
            if (roles.isEmpty()) {
                warnings.add("host " + inventoryName + " is in no functional group; not imported");
                continue;
            }
            Map<String, Object> fileVariables = hostVariableFile(dir, variableFiles, inventoryName);
            String name = uniqueName(hostName(inventoryName), names, warnings);
            String address = connection(inventory, fileVariables, inventoryName, "ansible_host", inventoryName);
            String port =
                    connection(inventory, fileVariables, inventoryName, "ansible_port", String.valueOf(DEFAULT_PORT));
            String user = connection(inventory, fileVariables, inventoryName, "ansible_user", DEFAULT_USER);
            if (!port.matches("\\d{1,5}")) {
                throw new InventoryImportException(
                        AnsibleInventory.FILE,
                        0,
                        "expected a numeric ansible_port for " + inventoryName + ", found " + port);
            }
            Map<String, String> variables = hostVariables.of(
                    name, inventory.hostVariables().getOrDefault(inventoryName, Map.of()), fileVariables);
            hosts.add(new ImportedHost(name, address, Integer.parseInt(port), user, roles, variables));
        }
        return hosts;
    }

    /**
     * Components come from the functional groups; a host's own group ({@code [prod07]}) is that host, and a group with
     * no host is reported.
     */
    private static List<String> components(AnsibleInventory inventory, List<String> warnings) {
        FunctionalGroups groups = new FunctionalGroups(inventory);
        Set<String> components = new LinkedHashSet<>();
        for (String group : groups.functionalGroups()) {
            components.add(roleName(group));
            if (groups.gathersGroups(group)) {
                warnings.add("component " + roleName(group) + " comes from a group of groups ("
                        + String.join(", ", inventory.children().get(group))
                        + "); remove it if nothing is deployed as " + roleName(group) + " itself");
            }
        }
        groups.emptyGroups()
                .forEach(group -> warnings.add("group " + group + " has no host; no component " + roleName(group)));
        return List.copyOf(components);
    }

    private static String connection(
            AnsibleInventory inventory, Map<String, Object> fileVariables, String host, String key, String fallback) {
        Object fromFile = fileVariables.get(key);
        if (fromFile != null) {
            return String.valueOf(fromFile);
        }
        String fromInventory = inventory.variable(host, key);
        return fromInventory != null ? fromInventory : fallback;
    }

    private static Map<String, Object> hostVariableFile(Path dir, VariableFiles variableFiles, String host) {
        Path hostVars = dir.resolve("host_vars").toAbsolutePath().normalize();
        for (String candidate : List.of(host, host + ".yml", host + ".yaml")) {
            Path file = hostVars.resolve(candidate).normalize();
            if (!hostVars.equals(file.getParent())) {
                throw new InventoryImportException(
                        AnsibleInventory.FILE, 0, "host " + host + " would read a file outside host_vars/");
            }
            if (Files.isRegularFile(file)) {
                return variableFiles.read(file, "host_vars/" + candidate);
            }
        }
        return Map.of();
    }

    /** {@code group_vars/all/*.yml} merged in file-name order (later files win), or {@code group_vars/all.yml}. */
    private static Map<String, Object> groupVariables(Path dir, VariableFiles variableFiles) {
        Map<String, Object> merged = new LinkedHashMap<>();
        Path all = dir.resolve("group_vars").resolve("all");
        if (Files.isDirectory(all)) {
            try (Stream<Path> files = Files.list(all)) {
                for (Path file : files.filter(
                                // The release pins, not variables: see VersionPins.
                                path -> path.getFileName().toString().matches(".*\\.ya?ml")
                                        && !path.getFileName().toString().equals(VersionPins.FILE))
                        .sorted()
                        .toList()) {
                    merged.putAll(variableFiles.read(file, "group_vars/all/" + file.getFileName()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + all, e);
            }
        } else {
            for (String name : List.of("all", "all.yml", "all.yaml")) {
                Path file = dir.resolve("group_vars").resolve(name);
                if (Files.isRegularFile(file)) {
                    merged.putAll(variableFiles.read(file, "group_vars/" + name));
                }
            }
        }
        return merged;
    }

    private static void checkParses(String environmentName, String yaml) {
        ParseResult result = new DefinitionParser().parse("environments/" + environmentName + ".yml", yaml);
        if (!result.problems().isEmpty()) {
            throw new InventoryImportException(
                    AnsibleInventory.FILE,
                    0,
                    "the imported definition is not valid: "
                            + result.problems().stream()
                                    .map(DefinitionProblem::toString)
                                    .collect(Collectors.joining("; ")));
        }
    }

    /** {@code prod00.cnx.org} → {@code prod00-cnx-org}; a name must start with a letter. */
    static String hostName(String inventoryName) {
        String name = inventoryName
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("-+", "-")
                .replaceAll("^-|-$", "");
        if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
            name = "host-" + name;
        }
        return name.length() > 63 ? name.substring(0, 63).replaceAll("-$", "") : name;
    }

    /** Ansible group names allow underscores; roles and components do not. */
    static String roleName(String group) {
        String name = hostName(group);
        return name.length() > 32 ? name.substring(0, 32).replaceAll("-$", "") : name;
    }

    private static String uniqueName(String name, Set<String> taken, List<String> warnings) {
        String unique = name;
        for (int i = 2; !taken.add(unique); i++) {
            unique = name + "-" + i;
        }
        if (!unique.equals(name)) {
            warnings.add("host name " + name + " is used twice after sanitizing; the second is " + unique);
        }
        return unique;
    }
}
