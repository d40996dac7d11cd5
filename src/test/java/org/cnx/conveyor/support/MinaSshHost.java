package org.cnx.conveyor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.file.nativefs.NativeFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.StaticDecisionForwardingFilter;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A fake host served by Apache MINA SSHD inside the test JVM: quick to start, so good for many hosts.
 *
 * <p>Exec requests run in {@code /bin/sh -c} as the current OS user, starting in {@link #dir()}; SFTP works on the
 * real file system with {@link #dir()} as home. Unlike OpenSSH, it closes a command's channel at most 3 s after
 * the command exits even when a background process still holds its output.
 */
public final class MinaSshHost implements TestSshHost {

    private static final String USER = System.getProperty("user.name");

    private final String name;
    private final KeyPair hostKey;
    private final Path dir;
    private final Set<PublicKey> authorized = new CopyOnWriteArraySet<>();
    private int port;
    private SshServer server;

    private final List<String> forwards = new java.util.concurrent.CopyOnWriteArrayList<>();

    private MinaSshHost(String name, KeyPair hostKey) {
        this.name = name;
        this.hostKey = hostKey;
        this.dir = HostDirs.create(name);
    }

    /** Starts a host with an ed25519 host key that accepts {@link TestKeys#deployKey()}. */
    public static MinaSshHost start(String name) {
        return start(name, HostKeyType.ED25519);
    }

    /** Starts a host with the given kind of host key that accepts {@link TestKeys#deployKey()}. */
    public static MinaSshHost start(String name, HostKeyType hostKeyType) {
        MinaSshHost host = new MinaSshHost(name, generate(hostKeyType));
        host.authorize(TestKeys.deployKey());
        host.start();
        return host;
    }

    private static KeyPair generate(HostKeyType type) {
        try {
            return type == HostKeyType.RSA
                    ? KeyUtils.generateKeyPair(KeyPairProvider.SSH_RSA, 2048)
                    : KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot generate a " + type + " host key (is net.i2p.crypto:eddsa there?)", e);
        }
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        SshServer starting = SshServer.setUpDefaultServer();
        starting.setHost("127.0.0.1");
        starting.setPort(port);
        starting.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        starting.setPasswordAuthenticator(null);
        starting.setKeyboardInteractiveAuthenticator(null);
        starting.setPublickeyAuthenticator((user, key, session) ->
                USER.equals(user) && authorized.stream().anyMatch(known -> KeyUtils.compareKeys(known, key)));
        starting.setCommandFactory((channel, command) -> new MinaShellCommand(command, dir));
        starting.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        // Port forwarding (tunnels to databases behind the host) is allowed, and each target is recorded.
        starting.setForwardingFilter(new StaticDecisionForwardingFilter(true) {
            @Override
            protected boolean checkAcceptance(String request, Session session, SshdSocketAddress target) {
                forwards.add(target.getHostName() + ":" + target.getPort());
                return true;
            }
        });
        starting.setFileSystemFactory(new NativeFileSystemFactory() {
            @Override
            public Path getUserHomeDir(SessionContext session) {
                return dir;
            }
        });
        try {
            starting.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start test host " + name + " on port " + port, e);
        }
        if (port == 0) {
            port = ((InetSocketAddress) starting.getBoundAddresses().iterator().next()).getPort();
        }
        server = starting;
    }

    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            // Immediately: open connections drop as they would if the machine lost power.
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop test host " + name, e);
        } finally {
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public void authorize(TestKeys.UserKey key) {
        try {
            authorized.add(AuthorizedKeyEntry.parseAuthorizedKeyEntry(key.authorizedKeysLine())
                    .resolvePublicKey(null, PublicKeyEntryResolver.FAILING));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not an authorized_keys line: " + key.authorizedKeysLine(), e);
        }
    }

    /** The {@code host:port} targets that clients opened tunnels to through this host, in order. */
    public List<String> forwards() {
        return List.copyOf(forwards);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized int port() {
        return port;
    }

    @Override
    public String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(hostKey.getPublic());
    }

    @Override
    public String hostPublicKey() {
        return PublicKeyEntry.toString(hostKey.getPublic());
    }

    @Override
    public Path dir() {
        return dir;
    }

    @Override
    public String toString() {
        return "MINA host " + name + " on 127.0.0.1:" + port;
    }
}
