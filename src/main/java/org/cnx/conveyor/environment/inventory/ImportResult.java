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
 * @param warnings what the operator must finish by hand (secrets to check, values not carried over)
 * @param secretValues the values of secret-like variables by the name of the secret the definition refers to instead;
 *     to be stored encrypted, never written to a file nor answered to the caller
 */
public record ImportResult(
        String environmentName,
        String definitionYaml,
        Map<String, String> componentVersions,
        List<String> warnings,
        Map<String, String> secretValues) {

    public ImportResult {
        componentVersions = Collections.unmodifiableMap(new LinkedHashMap<>(componentVersions));
        warnings = List.copyOf(warnings);
        secretValues = Collections.unmodifiableMap(new LinkedHashMap<>(secretValues));
    }

    @Override
    public String toString() {
        return "ImportResult[" + environmentName + ", secrets " + secretValues.keySet() + "]";
    }
}
