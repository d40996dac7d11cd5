package org.cnx.conveyor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A fake host served by a real OpenSSH {@code sshd} (a child process with its own config under {@code target/}).
 *
 * <p>Commands run in the current user's login shell and start in that user's home, as on a real host; use
 * {@link #dir()} for the host's files. Tests using it are skipped when {@code /usr/sbin/sshd} is not installed.
 */
public final class OpenSshHost implements TestSshHost {

    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final int PORT_ATTEMPTS = 3;

    private final String name;
    private final Path dir;
    private final String fingerprint;
    private final String publicKey;
    private int port;
    private Process daemon;

    private OpenSshHost(String name, Path dir, String fingerprint, String publicKey) {
        this.name = name;
        this.dir = dir;
        this.fingerprint = fingerprint;
        this.publicKey = publicKey;
    }

    /** Starts a host with an ed25519 host key that accepts {@link TestKeys#deployKey()}. */
    public static OpenSshHost start(String name) {
        return start(name, HostKeyType.ED25519);
    }

    /** Starts a host with the given kind of host key that accepts {@link TestKeys#deployKey()}. */
    public static OpenSshHost start(String name, HostKeyType hostKeyType) {
        Assumptions.assumeTrue(
                Files.isExecutable(SSHD),
                "OpenSSH server is not installed at " + SSHD + " (apt-get install -y openssh-server)");
        Path dir = HostDirs.create(name);
        Path hostKey = dir.resolve("host_key");
        run(List.of(
                "ssh-keygen",
                "-q",
                "-N",
                "",
                "-C",
                name,
                "-f",
                hostKey.toString(),
                "-t",
                hostKeyType == HostKeyType.RSA ? "rsa" : "ed25519"));
        String fingerprint = parseFingerprint(run(List.of("ssh-keygen", "-lf", hostKey + ".pub")));
        String[] publicKeyFields = read(Path.of(hostKey + ".pub")).trim().split("\\s+");
        OpenSshHost host = new OpenSshHost(name, dir, fingerprint, publicKeyFields[0] + " " + publicKeyFields[1]);
        host.authorize(TestKeys.deployKey());
        host.firstStart();
        // A test that forgets close() must not leave sshd listening after the JVM ends.
        Runtime.getRuntime().addShutdownHook(new Thread(host::stop, "stop-sshd-" + name));
        return host;
    }

    /** Picks a free port; another process may grab it before sshd binds, so try a few. */
    private void firstStart() {
        makePrivilegeSeparationDir();
        for (int attempt = 1; ; attempt++) {
            port = HostDirs.freePort();
            writeConfig();
            try {
                start();
                return;
            } catch (IllegalStateException e) {
                if (attempt == PORT_ATTEMPTS || !read(log()).contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    private void writeConfig() {
        String config = String.join(
                "\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_key"),
                "AuthorizedKeysFile " + authorizedKeys(),
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PidFile " + dir.resolve("sshd.pid"),
                "Subsystem sftp internal-sftp",
                "PrintMotd no",
                "UseDNS no",
                "MaxStartups 64",
                "MaxSessions 64",
                "LogLevel VERBOSE",
                "");
        write(dir.resolve("sshd_config"), config, StandardOpenOption.TRUNCATE_EXISTING);
        run(List.of(SSHD.toString(), "-t", "-f", dir.resolve("sshd_config").toString()));
    }

    private static void makePrivilegeSeparationDir() {
        try {
            // sshd needs it when run as root; without systemd nobody made it.
            Files.createDirectories(Path.of("/run/sshd"));
        } catch (IOException ignored) {
            // Not root: sshd runs unprivileged and does not need it.
        }
    }

    @Override
    public synchronized void start() {
        if (daemon != null) {
            return;
        }
        int listeningLinesBefore = listeningLines();
        try {
            daemon = new ProcessBuilder(
                            SSHD.toString(),
                            "-D",
                            "-f",
                            dir.resolve("sshd_config").toString(),
                            "-E",
                            log().toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + SSHD, e);
        }
        awaitListening(listeningLinesBefore);
    }

    private int listeningLines() {
        String marker = "Server listening on 127.0.0.1 port " + port;
        return read(log()).split(java.util.regex.Pattern.quote(marker), -1).length - 1;
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * Waits for this start's "Server listening" log line, not just an open port: another process could hold the
     * port while this sshd fails to bind it.
     */
    private void awaitListening(int listeningLinesBefore) {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!daemon.isAlive()) {
                daemon = null;
                throw new IllegalStateException("sshd for " + name + " exited at start; its log:\n" + read(log()));
            }
            if (listeningLines() > listeningLinesBefore && accepts()) {
                return;
            }
            sleep(50);
        }
        stop();
        throw new IllegalStateException(
                "sshd for " + name + " did not listen on port " + port + "; its log:\n" + read(log()));
    }

    @Override
    public synchronized void stop() {
        if (daemon == null) {
            return;
        }
        // sshd forks a process per connection that outlives the listener: kill them and their commands too.
        daemon.descendants().forEach(ProcessHandle::destroyForcibly);
        daemon.destroyForcibly();
        try {
            daemon.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        daemon = null;
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public void authorize(TestKeys.UserKey key) {
        // sshd reads the file at every login, so keys added while it runs count at once.
        write(authorizedKeys(), key.authorizedKeysLine() + "\n", StandardOpenOption.APPEND);
    }

    private Path authorizedKeys() {
        return dir.resolve("authorized_keys");
    }

    private Path log() {
        return dir.resolve("sshd.log");
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
        return fingerprint;
    }

    @Override
    public String hostPublicKey() {
        return publicKey;
    }

    @Override
    public Path dir() {
        return dir;
    }

    @Override
    public String toString() {
        return "OpenSSH host " + name + " on 127.0.0.1:" + port;
    }

    /** The {@code SHA256:…} word of {@code ssh-keygen -l} output such as {@code 256 SHA256:abc… name (ED25519)}. */
    private static String parseFingerprint(String keygenOutput) {
        for (String word : keygenOutput.trim().split("\\s+")) {
            if (word.startsWith("SHA256:")) {
                return word;
            }
        }
        throw new IllegalStateException("no SHA256 fingerprint in ssh-keygen output: " + keygenOutput);
    }

    private static String run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text, StandardOpenOption mode) {
        try {
            Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for sshd", e);
        }
    }
}
