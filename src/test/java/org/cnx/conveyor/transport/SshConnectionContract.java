package org.cnx.conveyor.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.support.TestKeys;
import org.cnx.conveyor.support.TestSshHost;
import org.cnx.conveyor.support.TestSshHost.HostKeyType;
import org.cnx.conveyor.transport.OutputSink.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What every SSH server kind must do with {@link SshConnector}; subclasses say which server to run. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SshConnectionContract {

    static final String SECRET = "staging-ssh-key";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    // Sanity bounds only: far above what these take, far below the sleeps they guard against.
    static final Duration PROMPTLY = Duration.ofSeconds(8);

    final SshConnector connector = new SshConnector(Duration.ofSeconds(5));
    TestSshHost host;

    /** Starts a fake host of the kind under test. */
    abstract TestSshHost startHost(String name, HostKeyType hostKeyType);

    @BeforeAll
    void startSharedHost() {
        host = startHost("app1", HostKeyType.ED25519);
    }

    @AfterAll
    void stopSharedHost() {
        if (host != null) {
            host.close();
        }
    }

    HostConnection connect(TestSshHost target) throws TransportException {
        return connector.connect(
                (definition(target)).endpoint(), TestKeys.deployKey().asSecret(SECRET));
    }

    static Host definition(TestSshHost target) {
        return target.definitionHost(SECRET, target.dir().toString(), List.of("app"));
    }

    static Host withKnownHosts(Host pinned, Path knownHosts) {
        return new Host(
                pinned.name(),
                pinned.transport(),
                pinned.address(),
                pinned.port(),
                pinned.user(),
                pinned.roles(),
                Optional.empty(),
                Optional.of(knownHosts.toString()),
                pinned.key(),
                pinned.root());
    }

    static Host withPort(Host host, int port) {
        return new Host(
                host.name(),
                host.transport(),
                host.address(),
                port,
                host.user(),
                host.roles(),
                host.hostKey(),
                host.knownHosts(),
                host.key(),
                host.root());
    }

    static Host withHostKey(Host host, String fingerprint) {
        return new Host(
                host.name(),
                host.transport(),
                host.address(),
                host.port(),
                host.user(),
                host.roles(),
                Optional.of(fingerprint),
                host.knownHosts(),
                host.key(),
                host.root());
    }

    @Test
    void streamsStdoutAndStderrLinesInOrderEachToItsOwnStream() throws Exception {
        RecordingSink sink = new RecordingSink();
        try (HostConnection connection = connect(host)) {
            int exit = connection.exec("echo out1; echo err1 >&2; echo out2; printf 'err2' >&2", TIMEOUT, sink);

            assertThat(exit).isZero();
        }
        assertThat(sink.texts(Stream.STDOUT)).containsExactly("out1", "out2");
        assertThat(sink.texts(Stream.STDERR)).containsExactly("err1", "err2");
    }

    @Test
    void deliversEachLineWhileTheCommandIsStillRunning() throws Exception {
        // The command only finishes once the test has seen its first line, so buffered output would time out.
        Path seen = host.dir().resolve("first-line-seen");
        RecordingSink sink = new RecordingSink(text -> touch(text.equals("first") ? seen : null));
        String command =
                "echo first; while [ ! -f " + Shell.quote(seen.toString()) + " ]; do sleep 0.05; done; echo second";
        try (HostConnection connection = connect(host)) {
            assertThat(connection.exec(command, TIMEOUT, sink)).isZero();
        }
        assertThat(sink.texts(Stream.STDOUT)).containsExactly("first", "second");
    }

    @Test
    void returnsTheExitCodeOfAFailingCommand() throws Exception {
        try (HostConnection connection = connect(host)) {
            assertThat(connection.exec("echo about to fail; exit 3", TIMEOUT, OutputSink.DISCARD))
                    .isEqualTo(3);
            assertThat(connection.exec("true", TIMEOUT, OutputSink.DISCARD)).isZero();
        }
    }

    @Test
    void runTurnsANonZeroExitIntoCommandFailedWithTheCode() throws Exception {
        try (HostConnection connection = connect(host)) {
            var failure = assertThrows(
                    TransportException.CommandFailed.class,
                    () -> connection.run("exit 4", TIMEOUT, OutputSink.DISCARD));

            assertThat(failure.exitCode()).isEqualTo(4);
            assertThat(failure.host()).isEqualTo("app1");
        }
    }

    @Test
    void abandonsACommandThatOutlivesItsTimeoutAndKeepsTheConnectionUsable() throws Exception {
        try (HostConnection connection = connect(host)) {
            var timedOut = assertTimeoutPreemptively(
                    PROMPTLY,
                    () -> assertThrows(
                            TransportException.CommandTimedOut.class,
                            () -> connection.exec("sleep 30", Duration.ofSeconds(1), OutputSink.DISCARD)));

            assertThat(timedOut.getMessage()).contains("app1", "1 s");
            RecordingSink sink = new RecordingSink();
            assertThat(connection.exec("echo still here", TIMEOUT, sink)).isZero();
            assertThat(sink.texts(Stream.STDOUT)).containsExactly("still here");
        }
    }

    @Test
    void returnsPromptlyWhenTheCommandStartsADetachedBackgroundProcess() throws Exception {
        try (HostConnection connection = connect(host)) {
            int exit = assertTimeoutPreemptively(
                    PROMPTLY,
                    () -> connection.exec(
                            "nohup sleep 30 >/dev/null 2>&1 </dev/null & echo started", TIMEOUT, OutputSink.DISCARD));

            assertThat(exit).isZero();
        }
    }

    @Test
    void returnsEvenWhenABackgroundProcessKeepsTheOutputOpen() throws Exception {
        try (HostConnection connection = connect(host)) {
            int exit = assertTimeoutPreemptively(
                    PROMPTLY, () -> connection.exec("sleep 30 & echo started", TIMEOUT, OutputSink.DISCARD));

            assertThat(exit).isZero();
        }
    }

    @Test
    void givesTheCommandAnEmptyStdin() throws Exception {
        RecordingSink sink = new RecordingSink();
        try (HostConnection connection = connect(host)) {
            int exit = assertTimeoutPreemptively(
                    PROMPTLY, () -> connection.exec("cat; echo read to the end", TIMEOUT, sink));

            assertThat(exit).isZero();
        }
        assertThat(sink.texts(Stream.STDOUT)).containsExactly("read to the end");
    }

    @Test
    void deliversAQuotedValueByteForByte() throws Exception {
        String value =
                "it's \"quoted\" $HOME `id` $(id) ; echo injected & | > <\nsecond line\n\ttab \\ backslash '' \n";
        Path written = host.dir().resolve("quoted-value");
        try (HostConnection connection = connect(host)) {
            connection.run(
                    "printf %s " + Shell.quote(value) + " > " + Shell.quote(written.toString()),
                    TIMEOUT,
                    OutputSink.DISCARD);
        }
        assertThat(Files.readString(written)).isEqualTo(value);
    }

    @Test
    void runsACommandBuiltByShellInDirectoryWithItsEnvironment() throws Exception {
        RecordingSink sink = new RecordingSink();
        String command = Shell.inDirectory(
                host.dir().toString(),
                Map.of("GREETING", "it's $HOME; `id`"),
                "printf '%s|%s\\n' \"$GREETING\" \"$(pwd -P)\"");
        try (HostConnection connection = connect(host)) {
            connection.run(command, TIMEOUT, sink);
        }
        assertThat(sink.texts(Stream.STDOUT))
                .containsExactly("it's $HOME; `id`|" + host.dir().toRealPath());
    }

    @Test
    void reusesOneConnectionForManyCommands() throws Exception {
        RecordingSink sink = new RecordingSink();
        try (HostConnection connection = connect(host)) {
            for (int i = 0; i < 5; i++) {
                connection.run("echo " + i, TIMEOUT, sink);
            }
        }
        assertThat(sink.texts(Stream.STDOUT)).containsExactly("0", "1", "2", "3", "4");
    }

    @Test
    void uploadsAFileThatHashesTheSameOnTheHost() throws Exception {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        Path local = Files.createTempFile("artifact", ".bin");
        Files.write(local, content);
        String remote = host.dir().resolve("artifact.bin").toString();
        RecordingSink sink = new RecordingSink();
        try (HostConnection connection = connect(host)) {
            connection.upload(local, remote);
            connection.run("sha256sum " + Shell.quote(remote), TIMEOUT, sink);
        } finally {
            Files.delete(local);
        }
        String expected =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        assertThat(sink.texts(Stream.STDOUT)).singleElement().asString().startsWith(expected + " ");
    }

    @Test
    void reportsAnUploadIntoAMissingFolder() throws Exception {
        Path local = Files.createTempFile("artifact", ".txt");
        String remote = host.dir().resolve("no-such-folder/artifact.txt").toString();
        try (HostConnection connection = connect(host)) {
            var failure =
                    assertThrows(TransportException.HostUnreachable.class, () -> connection.upload(local, remote));

            assertThat(failure.getMessage()).contains("app1", remote);
        } finally {
            Files.delete(local);
        }
    }

    @Test
    void aKeptConnectionIsReusableOnlyForItsEndpointWhileItsHostKeyIsStillAccepted() throws Exception {
        Path knownHosts = host.dir().resolve("known_hosts_kept");
        Files.writeString(knownHosts, host.knownHostsLine() + "\n");
        var endpoint = (withKnownHosts(definition(host), knownHosts)).endpoint();
        try (HostConnection connection =
                connector.connect(endpoint, TestKeys.deployKey().asSecret(SECRET))) {
            assertThat(connection.reusableFor(endpoint)).isTrue();
            assertThat(connection.reusableFor((withPort(definition(host), host.port() + 1)).endpoint()))
                    .isFalse();
            String other =
                    TestKeys.fingerprintOfLine(TestKeys.ed25519("rebuilt").authorizedKeysLine());
            assertThat(connection.reusableFor((withHostKey(definition(host), other)).endpoint()))
                    .isFalse();

            // The known_hosts file is read again: a host key removed from it since is no longer trusted.
            Files.writeString(knownHosts, "# emptied\n");
            assertThat(connection.reusableFor(endpoint)).isFalse();
        }
    }

    @Test
    void aFeederWritesInputWhileTheCommandRunsAndWaitsForWhatItPrints() throws Exception {
        RecordingSink sink = new RecordingSink();
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        OutputSink watching = (stream, line) -> {
            sink.line(stream, line);
            if (line.equals("ready")) {
                asked.countDown();
            }
        };
        try (HostConnection connection = connect(host)) {
            int exit = connection.exec(
                    "echo ready; head -c 5; echo; echo done",
                    stdin -> {
                        asked.await();
                        stdin.write("hello, and more".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    },
                    TIMEOUT,
                    watching);
            assertThat(exit).isZero();
        }
        assertThat(sink.texts(Stream.STDOUT)).containsExactly("ready", "hello", "done");
    }

    @Test
    void refusesAHostWhoseKeyDiffersFromThePinnedOneBeforeRunningAnything() throws Exception {
        String pinned =
                TestKeys.fingerprintOfLine(TestKeys.ed25519("some other host").authorizedKeysLine());
        Path marker = host.dir().resolve("ran-despite-wrong-host-key");

        var rejected = assertThrows(TransportException.HostKeyRejected.class, () -> {
            try (HostConnection connection = connector.connect(
                    (withHostKey(definition(host), pinned)).endpoint(),
                    TestKeys.deployKey().asSecret(SECRET))) {
                connection.run("touch " + Shell.quote(marker.toString()), TIMEOUT, OutputSink.DISCARD);
            }
        });

        assertThat(rejected.getMessage())
                .isEqualTo("host app1 (127.0.0.1:" + host.port() + ") presented host key "
                        + host.hostKeyFingerprint() + ", but the definition pins " + pinned
                        + "; if the host was rebuilt, update hostKey in its definition");
        assertThat(marker).doesNotExist();
    }

    @Test
    void acceptsAHostListedInKnownHosts() throws Exception {
        Path knownHosts = host.dir().resolve("known_hosts_listed");
        Files.writeString(knownHosts, "# test hosts\n" + host.knownHostsLine() + "\n");
        RecordingSink sink = new RecordingSink();
        try (HostConnection connection = connector.connect(
                (withKnownHosts(definition(host), knownHosts)).endpoint(),
                TestKeys.deployKey().asSecret(SECRET))) {
            connection.run("echo known", TIMEOUT, sink);
        }
        assertThat(sink.texts(Stream.STDOUT)).containsExactly("known");
    }

    @Test
    void acceptsAHashedKnownHostsEntry() throws Exception {
        // The format of `ssh-keygen -H`: |1|salt|HMAC-SHA1(salt, name), both base64.
        byte[] salt = new byte[20];
        new Random(11).nextBytes(salt);
        Mac hmac = Mac.getInstance("HmacSHA1");
        hmac.init(new SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = hmac.doFinal(("[127.0.0.1]:" + host.port()).getBytes(StandardCharsets.US_ASCII));
        Base64.Encoder base64 = Base64.getEncoder();
        Path knownHosts = host.dir().resolve("known_hosts_hashed");
        Files.writeString(
                knownHosts,
                "|1|" + base64.encodeToString(salt) + "|" + base64.encodeToString(hash) + " " + host.hostPublicKey()
                        + "\n");

        try (HostConnection connection = connector.connect(
                (withKnownHosts(definition(host), knownHosts)).endpoint(),
                TestKeys.deployKey().asSecret(SECRET))) {
            assertThat(connection.exec("true", TIMEOUT, OutputSink.DISCARD)).isZero();
        }
    }

    @Test
    void refusesAHostMissingFromKnownHosts() throws Exception {
        Path knownHosts = host.dir().resolve("known_hosts_other_port");
        Files.writeString(knownHosts, "[127.0.0.1]:1 " + host.hostPublicKey() + "\n");

        var rejected = assertThrows(
                TransportException.HostKeyRejected.class,
                () -> connector.connect(
                        (withKnownHosts(definition(host), knownHosts)).endpoint(),
                        TestKeys.deployKey().asSecret(SECRET)));

        assertThat(rejected.getMessage())
                .startsWith("host app1 (127.0.0.1:" + host.port() + ") is not in " + knownHosts + "; its key is "
                        + host.hostKeyFingerprint());
    }

    @Test
    void refusesAHostWhoseKnownHostsEntryChanged() throws Exception {
        String type = host.hostPublicKey().split(" ")[0];
        // A key of the type the host presents, so the entry counts as changed rather than unknown.
        TestKeys.UserKey old = type.equals("ssh-rsa") ? TestKeys.rsa("old host key") : TestKeys.ed25519("old host key");
        String oldKey = old.authorizedKeysLine().split(" ")[1];
        Path knownHosts = host.dir().resolve("known_hosts_changed");
        Files.writeString(knownHosts, "[127.0.0.1]:" + host.port() + " " + type + " " + oldKey + "\n");

        var rejected = assertThrows(
                TransportException.HostKeyRejected.class,
                () -> connector.connect(
                        (withKnownHosts(definition(host), knownHosts)).endpoint(),
                        TestKeys.deployKey().asSecret(SECRET)));

        assertThat(rejected.getMessage())
                .isEqualTo("host app1 (127.0.0.1:" + host.port() + ") presented host key "
                        + host.hostKeyFingerprint() + ", but " + knownHosts + " lists "
                        + HostKeyFingerprint.ofBase64(oldKey)
                        + " for [127.0.0.1]:" + host.port()
                        + "; if the host was rebuilt, update its line in that file");
    }

    @Test
    void explainsWhichSecretsKeyTheServerRefused() {
        TestKeys.UserKey stranger = TestKeys.ed25519("not authorized anywhere");

        var rejected = assertThrows(
                TransportException.HostKeyRejected.class,
                () -> connector.connect((definition(host)).endpoint(), stranger.asSecret(SECRET)));

        assertThat(rejected.getMessage())
                .isEqualTo("host app1 (127.0.0.1:" + host.port() + "): the server refused the key of secret \"" + SECRET
                        + "\" for user " + System.getProperty("user.name"));
    }

    @Test
    void namesTheKeySecretWhenItIsNotSet() {
        var rejected = assertThrows(
                TransportException.HostKeyRejected.class,
                () -> connector.connect((definition(host)).endpoint(), name -> Optional.empty()));

        assertThat(rejected.getMessage()).isEqualTo("host app1: secret \"staging-ssh-key\" is not set");
    }

    @Test
    void logsInWithAnRsaKeyInPemFormat() throws Exception {
        TestKeys.UserKey rsa = TestKeys.rsa("rsa deploy key");
        host.authorize(rsa);
        assertThat(rsa.privateKey()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(TestKeys.deployKey().privateKey()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        RecordingSink sink = new RecordingSink();
        try (HostConnection connection = connector.connect((definition(host)).endpoint(), rsa.asSecret(SECRET))) {
            connection.run("echo rsa works", TIMEOUT, sink);
        }
        assertThat(sink.texts(Stream.STDOUT)).containsExactly("rsa works");
    }

    @Test
    void verifiesAPinnedRsaHostKey() throws Exception {
        try (TestSshHost rsaHost = startHost("app-rsa", HostKeyType.RSA);
                HostConnection connection = connect(rsaHost)) {
            assertThat(connection.exec("true", TIMEOUT, OutputSink.DISCARD)).isZero();
        }
    }

    @Test
    void reportsAClosedPortAsUnreachableQuickly() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Host nowhere = withPort(definition(host), closedPort);

        var unreachable = assertTimeoutPreemptively(
                PROMPTLY,
                () -> assertThrows(
                        TransportException.HostUnreachable.class,
                        () -> connector.connect(
                                nowhere.endpoint(), TestKeys.deployKey().asSecret(SECRET))));

        assertThat(unreachable.getMessage())
                .isEqualTo("host app1 (127.0.0.1:" + closedPort + ") is unreachable: connection refused");
    }

    @Test
    void givesUpOnAServerThatNeverAnswersWithinTheConnectTimeout() throws Exception {
        SshConnector impatient = new SshConnector(Duration.ofSeconds(1));
        // Accepts TCP connections (through the backlog) but never says a word of SSH.
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Host mute = withPort(definition(host), silent.getLocalPort());

            var unreachable = assertTimeoutPreemptively(
                    PROMPTLY,
                    () -> assertThrows(
                            TransportException.HostUnreachable.class,
                            () -> impatient.connect(
                                    mute.endpoint(), TestKeys.deployKey().asSecret(SECRET))));

            assertThat(unreachable.getMessage()).contains("app1", "is unreachable", "no answer within 1 s");
        }
    }

    @Test
    void reportsTheHostUnreachableWhenItGoesDownMidCommand() throws Exception {
        try (TestSshHost doomed = startHost("app-down", HostKeyType.ED25519);
                HostConnection connection = connect(doomed)) {
            RecordingSink sink = new RecordingSink(text -> {
                if (text.equals("started")) {
                    new Thread(doomed::stop).start();
                }
            });

            var unreachable = assertTimeoutPreemptively(
                    Duration.ofSeconds(15),
                    () -> assertThrows(
                            TransportException.HostUnreachable.class,
                            () -> connection.exec("echo started; sleep 20", Duration.ofSeconds(30), sink)));

            assertThat(unreachable.getMessage()).contains("app-down", "unreachable");
        }
    }

    @Test
    void connectsAgainWithTheSamePinnedKeyAfterARestart() throws Exception {
        try (TestSshHost flaky = startHost("app-restart", HostKeyType.ED25519)) {
            Host pinned = definition(flaky);
            flaky.stop();
            assertThrows(
                    TransportException.HostUnreachable.class,
                    () -> connector.connect(
                            pinned.endpoint(), TestKeys.deployKey().asSecret(SECRET)));

            flaky.start();

            RecordingSink sink = new RecordingSink();
            try (HostConnection connection =
                    connector.connect(pinned.endpoint(), TestKeys.deployKey().asSecret(SECRET))) {
                connection.run("echo back", TIMEOUT, sink);
            }
            assertThat(sink.texts(Stream.STDOUT)).containsExactly("back");
        }
    }

    private static void touch(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.createFile(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
