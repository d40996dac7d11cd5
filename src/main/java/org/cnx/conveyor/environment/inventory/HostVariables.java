package org.cnx.conveyor.environment.inventory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A host's own variables ({@code host_vars/<host>} and the host line's {@code key=value}s) as the definition's per-host
 * {@code variables}: references resolved against the host's and the shared variables, secrets named after the host.
 */
final class HostVariables {

    /** Taken as the host's address, port and user rather than as variables. */
    static final List<String> CONNECTION = List.of("ansible_host", "ansible_port", "ansible_user");

    private final String environmentName;
    private final Map<String, Object> shared;
    private final VariableFlattener environment;
    private final List<String> warnings;
    private final Map<String, String> secrets;

    /**
     * @param shared the variables every host sees (group variables and pins), by their Ansible names
     * @param environment the flattener of the shared variables, which names their secrets
     */
    HostVariables(
            String environmentName,
            Map<String, Object> shared,
            VariableFlattener environment,
            List<String> warnings,
            Map<String, String> secrets) {
        this.environmentName = environmentName;
        this.shared = shared;
        this.environment = environment;
        this.warnings = warnings;
        this.secrets = secrets;
    }

    /** The host's variables; its file's values win over its inventory line's. */
    Map<String, String> of(String host, Map<String, String> inline, Map<String, Object> file) {
        Map<String, Object> own = new LinkedHashMap<>(inline);
        own.putAll(file);
        own.keySet().removeIf(key -> {
            if (CONNECTION.contains(key)) {
                return true;
            }
            if (key.startsWith("ansible_")) {
                warnings.add("host " + host + " variable " + key + " is an Ansible setting; not imported");
                return true;
            }
            return false;
        });
        VariableFlattener flattener = new VariableFlattener(
                environmentName + "-" + host, warnings, secrets, "host " + host + " variable", environment.vaulted());
        Map<String, Object> scope = new LinkedHashMap<>(shared);
        scope.putAll(own);
        JinjaReferences references = new JinjaReferences(
                scope, name -> own.containsKey(name) ? flattener.secretOf(name) : environment.secretOf(name));
        return flattener.flatten(references.resolveAll(own));
    }
}
