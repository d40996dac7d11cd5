package org.cnx.conveyor.environment.inventory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Release pins of an inventory: {@code <component>_version} values and {@code <component>_deploy_dependencies} lists
 * from {@code versions.yml} at the inventory root and in {@code group_vars/all/} (which wins; it may be a symlink into a
 * shared folder, and is followed).
 *
 * @param versions pinned version per component
 * @param dependencies deploy dependencies per component, in the order written
 * @param variables every key of both files as written, for {@code {{ archive_version }}} references elsewhere
 */
record VersionPins(
        Map<String, String> versions, Map<String, List<String>> dependencies, Map<String, Object> variables) {

    static final String FILE = "versions.yml";
    static final String GROUP_FILE = "group_vars/all/" + FILE;
    private static final String VERSION_SUFFIX = "_version";
    private static final String DEPENDENCIES_SUFFIX = "_deploy_dependencies";

    /** Reads both files; what is neither a pin nor a list of dependencies is reported in {@code warnings}. */
    static VersionPins read(Path dir, List<String> warnings) {
        VersionPins pins = new VersionPins(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        boolean found = false;
        for (String name : List.of(FILE, GROUP_FILE)) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                found = true;
                AnsibleYaml.readMapping(file, name).forEach((key, value) -> pins.add(name, key, value, warnings));
            }
        }
        if (!found) {
            warnings.add("no versions.yml nor group_vars/all/versions.yml: no release pins imported");
        }
        return pins;
    }

    private void add(String file, String key, Object value, List<String> warnings) {
        variables.put(key, value);
        if (key.endsWith(VERSION_SUFFIX) && value instanceof String version && !version.isBlank()) {
            String component = component(key, VERSION_SUFFIX);
            String previous = versions.put(component, version);
            if (previous != null && !previous.equals(version)) {
                warnings.add(file + ": " + key + " " + version + " replaces " + previous + " from " + FILE);
            }
        } else if (key.endsWith(DEPENDENCIES_SUFFIX) && value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            for (Object item : list) {
                if (item instanceof String text && !text.isBlank()) {
                    items.add(text);
                } else {
                    warnings.add(file + ": " + key + " item " + item + " is not a text; skipped");
                }
            }
            dependencies.put(component(key, DEPENDENCIES_SUFFIX), items);
        } else {
            warnings.add(file + ": " + key
                    + " is neither a <component>_version pin nor a <component>_deploy_dependencies list; skipped");
        }
    }

    private static String component(String key, String suffix) {
        return InventoryImporter.roleName(key.substring(0, key.length() - suffix.length()));
    }
}
