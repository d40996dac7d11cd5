package org.cnx.conveyor.transport;

import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import com.jcraft.jsch.Session;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Opens {@link SshConnection}s: verifies the host key against the definition before anything else,
 * then logs in with the private key held in the secret store.
 */
public final class SshConnector implements Connector {

    // A host that misses this many keep-alive probes in a row is treated as gone.
    private static final int KEEP_ALIVE_MISSES = 3;
    private static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);

    private final Duration connectTimeout;
    private final Duration keepAliveInterval;

    public SshConnector(Duration connectTimeout) {
        this(connectTimeout, DEFAULT_KEEP_ALIVE);
    }

    public SshConnector(Duration connectTimeout, Duration keepAliveInterval) {
        this.connectTimeout = connectTimeout;
        this.keepAliveInterval = keepAliveInterval;
    }

    @Override
    public SshConnection connect(Endpoint target, SecretLookup secrets) throws TransportException {
        if (!(target instanceof SshEndpoint endpoint)) {
            throw new IllegalArgumentException("host " + target.host() + " is not an ssh host");
        }
        JSch jsch = new JSch();
        addKey(jsch, endpoint, secrets);
        HostKeyVerifier verifier = verifier(jsch, endpoint);
        Session session = null;
        try {
            session = jsch.getSession(endpoint.user(), endpoint.address(), endpoint.port());
            session.setHostKeyRepository(verifier);
            // Never "no" or "ask": an unknown or changed key must stop the job before anything runs.
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            session.setServerAliveInterval(millis(keepAliveInterval));
            session.setServerAliveCountMax(KEEP_ALIVE_MISSES);
            session.setDaemonThread(true);
            session.connect(millis(connectTimeout));
            return new SshConnection(endpoint, session, connectTimeout, SshConnector::stillAccepts);
        } catch (JSchException e) {
            if (session != null) {
                session.disconnect();
            }
            throw failure(endpoint, verifier, e);
        }
    }

    private static void addKey(JSch jsch, SshEndpoint endpoint, SecretLookup secrets) throws TransportException {
        String secret = endpoint.keySecret();
        String keyText = secrets.value(secret)
                .orElseThrow(() -> new TransportException.HostKeyRejected(
                        endpoint.host(), "host " + endpoint.host() + ": secret \"" + secret + "\" is not set"));
        byte[] key = keyText.getBytes(StandardCharsets.UTF_8);
        try {
            if (KeyPair.load(jsch, key, null).isEncrypted()) {
                throw new TransportException.HostKeyRejected(
                        endpoint.host(),
                        "host " + endpoint.host() + ": secret \"" + secret
                                + "\" holds a passphrase-protected key; store the key without a passphrase");
            }
            jsch.addIdentity(secret, key, null, null);
        } catch (JSchException e) {
            throw new TransportException.HostKeyRejected(
                    endpoint.host(),
                    "host " + endpoint.host() + ": secret \"" + secret
                            + "\" is not a private key in OpenSSH or PEM format (" + e.getMessage() + ")");
        }
    }

    /**
     * Whether the key a connection's host presented is still accepted for {@code endpoint}: a connection kept open
     * between jobs is reused only if the definition's pin or known_hosts file (read again now) still accepts it.
     */
    static boolean stillAccepts(SshEndpoint endpoint, byte[] presentedKey) {
        try {
            return verifier(new JSch(), endpoint).check(endpoint.knownHostsName(), presentedKey)
                    == HostKeyRepository.OK;
        } catch (TransportException | RuntimeException e) {
            return false;
        }
    }

    /** A pinned fingerprint wins over a known_hosts file when a definition has both. */
    private static HostKeyVerifier verifier(JSch jsch, SshEndpoint endpoint) throws TransportException {
        if (endpoint.hostKey().isPresent()) {
            return new PinnedHostKey(endpoint, endpoint.hostKey().get());
        }
        String path = endpoint.knownHosts()
                .orElseThrow(() -> new IllegalArgumentException(
                        "host " + endpoint.host() + " has neither hostKey nor knownHosts"));
        if (!Files.isReadable(Path.of(path))) {
            throw new TransportException.HostKeyRejected(
                    endpoint.host(),
                    "host " + endpoint.label() + ": known_hosts file " + path + " does not exist or cannot be read");
        }
        try {
            jsch.setKnownHosts(path);
        } catch (JSchException e) {
            throw new TransportException.HostKeyRejected(
                    endpoint.host(),
                    "host " + endpoint.label() + ": cannot read known_hosts file " + path + ": " + e.getMessage());
        }
        return new KnownHostsFile(endpoint, path, jsch.getHostKeyRepository());
    }

    private TransportException failure(SshEndpoint endpoint, HostKeyVerifier verifier, JSchException e) {
        if (verifier.rejection().isPresent()) {
            return new TransportException.HostKeyRejected(
                    endpoint.host(), verifier.rejection().get());
        }
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Auth fail") || message.startsWith("Auth cancel")) {
            return new TransportException.HostKeyRejected(
                    endpoint.host(),
                    "host " + endpoint.label()
                            + ": the server refused the key of secret \"" + endpoint.keySecret() + "\" for user "
                            + endpoint.user());
        }
        return new TransportException.HostUnreachable(
                endpoint.host(), "host " + endpoint.label() + " is unreachable: " + reason(e), e);
    }

    /** A short reason in words, from the network error JSch wraps. */
    private String reason(JSchException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            if (cause instanceof SocketTimeoutException) {
                return "no answer within " + seconds(connectTimeout);
            }
            if (cause instanceof UnknownHostException) {
                return "unknown host name " + cause.getMessage();
            }
            if (cause instanceof NoRouteToHostException) {
                return "no route to host";
            }
        }
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("timeout")) {
            return "no answer within " + seconds(connectTimeout);
        }
        return message;
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
