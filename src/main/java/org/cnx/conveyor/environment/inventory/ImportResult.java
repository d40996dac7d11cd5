package org.cnx.conveyor.environment.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Ansible inventory turned into an environment definition.
 *
 * @param environmentName the name the definition declares (the file to write is {@code environments/<name>.yml})
 * @param definitionYaml a definition that parses without problems
 * @param componentVersions pinned version per component, from {@code versions.yml}
 * @param warnings what the operator must finish by hand (secrets to create, values not carried over)
 */
public record ImportResult(
        String environmentName, String definitionYaml, Map<String, String> componentVersions, List<String> warnings) {

    public ImportResult {
        componentVersions = Collections.unmodifiableMap(new LinkedHashMap<>(componentVersions));
        warnings = List.copyOf(warnings);
    }
}
