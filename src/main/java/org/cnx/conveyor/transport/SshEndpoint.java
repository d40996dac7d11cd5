package org.cnx.conveyor.transport;

import java.util.Optional;

/**
 * Where and as whom an ssh host is reached, how its host key is verified ({@code hostKey} wins over
 * {@code knownHosts}), and the secret holding the key to log in with.
 */
public record SshEndpoint(
        String host,
        String address,
        int port,
        String user,
        String keySecret,
        Optional<String> hostKey,
        Optional<String> knownHosts)
        implements Endpoint {

    /** {@code app1 (10.0.0.5:22)}: the host's name, and where it was looked for. */
    String label() {
        return host + " (" + address + ":" + port + ")";
    }

    /** How OpenSSH and JSch name the host in known_hosts: {@code address}, or {@code [address]:port} off port 22. */
    String knownHostsName() {
        return port == 22 ? address : "[" + address + "]:" + port;
    }
}
