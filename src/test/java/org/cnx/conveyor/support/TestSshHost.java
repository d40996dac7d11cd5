package org.cnx.conveyor.support;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Transport;
import org.cnx.conveyor.environment.definition.SecretReferences;

/**
 * A fake host reachable over SSH on 127.0.0.1 for tests: commands run as the current OS user in a real shell.
 *
 * <p>It keeps its port and host key across {@link #stop()} and {@link #start()}, so a test can take a host down
 * in the middle of a deploy and bring the same host back.
 */
public interface TestSshHost extends AutoCloseable {

    /** Which kind of host key the server presents. */
    enum HostKeyType {
        ED25519,
        RSA
    }

    /** The host's name, as in the definitions built by {@link #definitionHost}. */
    String name();

    /** The port on 127.0.0.1, fixed for the host's lifetime. */
    int port();

    /** The server's host key fingerprint as OpenSSH prints it ({@code SHA256:…}). */
    String hostKeyFingerprint();

    /** The server's public host key as {@code type base64}, the way known_hosts lists it. */
    String hostPublicKey();

    /** A folder of this host's own under {@code target/}, e.g. for its root and marker files. */
    Path dir();

    /** Lets {@code key} log in too (every host accepts {@link TestKeys#deployKey()} from the start). */
    void authorize(TestKeys.UserKey key);

    /** Stops the server and kills the commands it is running, as if the machine went down. */
    void stop();

    /** Starts the server again, on the same port with the same host key. */
    void start();

    /** Stops the server for good and forgets it. */
    @Override
    void close();

    /** The known_hosts line for this host: {@code [127.0.0.1]:port type base64}. */
    default String knownHostsLine() {
        return "[127.0.0.1]:" + port() + " " + hostPublicKey();
    }

    /**
     * This host as an environment definition lists it: transport ssh, 127.0.0.1 and the port, the current OS user,
     * the host key pinned, and {@code key: ${secret:keySecretName}}.
     */
    default Host definitionHost(String keySecretName, String root, List<String> roles) {
        return new Host(
                name(),
                Transport.SSH,
                Optional.of("127.0.0.1"),
                port(),
                Optional.of(System.getProperty("user.name")),
                roles,
                Optional.of(hostKeyFingerprint()),
                Optional.empty(),
                Optional.of(SecretReferences.reference(keySecretName)),
                root);
    }
}
