package org.cnx.conveyor.environment.inventory;

import java.util.List;
import java.util.Map;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Kind;

/** Writes an imported environment as definition YAML; every string is double-quoted so no value can change type. */
final class DefinitionYamlWriter {

    /** One imported ssh host. */
    record ImportedHost(
            String name, String address, int port, String user, List<String> roles, Map<String, String> variables) {}

    static final String KNOWN_HOSTS = "/etc/conveyor/known_hosts";
    /** A component's {@code <component>_deploy_dependencies}, one per line, in its recipe's environment. */
    static final String DEPLOY_DEPENDENCIES = "DEPLOY_DEPENDENCIES";

    private final StringBuilder out = new StringBuilder();

    String write(
            String name,
            Kind kind,
            String stage,
            List<ImportedHost> hosts,
            List<String> components,
            Map<String, List<String>> dependencies,
            Map<String, String> variables) {
        line(0, "name: " + name);
        line(0, "kind: " + kind.yamlName());
        line(0, "stage: " + stage);
        line(0, "description: " + quote("Imported from an Ansible inventory"));
        line(0, "hosts:");
        for (ImportedHost host : hosts) {
            line(2, "- name: " + host.name());
            line(4, "address: " + quote(host.address()));
            line(4, "port: " + host.port());
            line(4, "user: " + quote(host.user()));
            line(4, "transport: ssh");
            line(4, "roles: [" + String.join(", ", host.roles()) + "]");
            line(4, "knownHosts: " + KNOWN_HOSTS);
            line(4, "key: " + quote("${secret:" + name + "-ssh-key}"));
            if (!host.variables().isEmpty()) {
                line(4, "variables:");
                host.variables().forEach((key, value) -> line(6, key + ": " + quote(value)));
            }
        }
        line(0, "components:");
        for (String component : components) {
            line(2, component + ":");
            line(4, "start: ./start.sh");
            line(4, "stop: ./stop.sh");
            List<String> deploy = dependencies.getOrDefault(component, List.of());
            if (!deploy.isEmpty()) {
                line(4, "env:");
                line(6, DEPLOY_DEPENDENCIES + ": " + quote(String.join("\n", deploy)));
            }
        }
        if (!variables.isEmpty()) {
            line(0, "variables:");
            variables.forEach((key, value) -> line(2, key + ": " + quote(value)));
        }
        return out.toString();
    }

    private void line(int indent, String text) {
        out.append(" ".repeat(indent)).append(text).append('\n');
    }

    /** A YAML double-quoted scalar. */
    static String quote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\x%02x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
