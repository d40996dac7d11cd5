package org.cnx.conveyor.transport;

import java.util.Set;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.SecretReferences;

/** Where and as whom an ssh host is reached, with the label every error message starts with. */
record SshEndpoint(String host, String address, int port, String user, String keySecret) {

    /** Reads the ssh settings of a validated host definition. */
    static SshEndpoint of(Host host) {
        String address = host.address()
                .orElseThrow(() -> new IllegalArgumentException("host " + host.name() + " has no address"));
        String user = host.user()
                .orElseThrow(() -> new IllegalArgumentException("host " + host.name() + " has no user"));
        Set<String> secrets = host.key().map(SecretReferences::namesIn).orElse(Set.of());
        if (secrets.size() != 1) {
            throw new IllegalArgumentException("host " + host.name() + " needs key: ${secret:NAME}, found " + host.key());
        }
        return new SshEndpoint(host.name(), address, host.port(), user, secrets.iterator().next());
    }

    /** {@code app1 (10.0.0.5:22)}: the host's name, and where it was looked for. */
    String label() {
        return host + " (" + address + ":" + port + ")";
    }

    /** How OpenSSH and JSch name the host in known_hosts: {@code address}, or {@code [address]:port} off port 22. */
    String knownHostsName() {
        return port == 22 ? address : "[" + address + "]:" + port;
    }
}
