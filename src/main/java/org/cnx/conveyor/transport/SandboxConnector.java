package org.cnx.conveyor.transport;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.cnx.conveyor.common.DataDirectory;

/**
 * Opens {@link SandboxConnection}s: checks that this machine can sandbox (Conveyor runs as root, bubblewrap and
 * setpriv are installed), gives the host's root a uid of its own and hands the root over to it. Fails closed: a
 * machine that cannot sandbox runs nothing.
 */
final class SandboxConnector {

    static final String HOW_TO = "see \"The sandbox transport\" in docs/transports.md";

    private final Path hostsDir;
    private final Sandbox sandbox;
    private final SandboxUsers users;
    private final IntSupplier effectiveUid;

    SandboxConnector(SandboxConfig config) {
        this(
                DataDirectory.resolve(),
                config.firstUid(),
                config.lastUid(),
                config.hide().orElse(List.of()),
                SystemUids::effectiveUid);
    }

    SandboxConnector(Path dataDir, int firstUid, int lastUid, List<String> extraHidden, IntSupplier effectiveUid) {
        this.hostsDir = dataDir.resolve("hosts");
        List<Path> hidden = new ArrayList<>(List.of(dataDir, Path.of(System.getProperty("user.dir"))));
        installFolder().ifPresent(hidden::add);
        extraHidden.stream().map(Path::of).forEach(hidden::add);
        this.sandbox = new Sandbox(hidden);
        this.users = new SandboxUsers(dataDir.resolve("sandbox").resolve("uids"), firstUid, lastUid);
        this.effectiveUid = effectiveUid;
    }

    SandboxConnection connect(Endpoint.Sandbox host) throws TransportException {
        String bwrap = requireSandboxing(host.host());
        Path root = host.root().normalize();
        if (!hostsDir.equals(root.getParent())) {
            throw new TransportException.HostUnreachable(
                    host.host(),
                    "a sandbox's root must be a folder of its own in " + hostsDir + ", found " + root,
                    null);
        }
        int uid;
        try {
            SandboxUsers.Allocation allocation = users.uidFor(root);
            handOver(root, allocation);
            uid = allocation.uid();
        } catch (IOException e) {
            throw new TransportException.HostUnreachable(
                    host.host(), "cannot prepare the sandbox's root " + root + ": " + e.getMessage(), e);
        }
        // A sandbox that cannot start fails the connection, in bubblewrap's own words, before any step is journaled.
        StringBuilder errors = new StringBuilder();
        int exit = run(
                bwrap,
                host.host(),
                uid,
                root,
                "true",
                LocalProcess.Input.NONE,
                Duration.ofSeconds(30),
                (stream, line) -> errors.append(errors.isEmpty() ? "" : "; ").append(line));
        if (exit != 0) {
            throw new TransportException.HostUnreachable(
                    host.host(), "the sandbox does not start (" + errors + "); " + HOW_TO, null);
        }
        return new SandboxConnection(host.host(), root, uid, this);
    }

    int run(
            String host,
            int uid,
            Path root,
            String command,
            LocalProcess.Input stdin,
            Duration timeout,
            OutputSink sink)
            throws TransportException {
        return run(requireSandboxing(host), host, uid, root, command, stdin, timeout, sink);
    }

    private int run(
            String bwrap,
            String host,
            int uid,
            Path root,
            String command,
            LocalProcess.Input stdin,
            Duration timeout,
            OutputSink sink)
            throws TransportException {
        List<String> argv = new ArrayList<>(sandbox.argv(uid, root, command));
        argv.set(0, bwrap);
        return LocalProcess.run(host, argv, Sandbox.environment(root), stdin, timeout, sink);
    }

    /** Stops every process of {@code uid}, removes {@code root} and frees the uid. */
    void discard(String host, int uid, Path root, Duration timeout, OutputSink sink)
            throws IOException, TransportException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int rounds = 0;
        while (!UidProcesses.of(uid).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("processes of uid " + uid + " are still running: " + UidProcesses.of(uid));
            }
            // kill(-1) as the uid itself: every process of that uid, in one system call, even ones forking meanwhile.
            LocalProcess.run(
                    host,
                    List.of(
                            "setpriv",
                            "--reuid=" + uid,
                            "--regid=" + uid,
                            "--clear-groups",
                            "--",
                            "sh",
                            "-c",
                            "kill -KILL -1"),
                    Sandbox.environment(root),
                    LocalProcess.Input.NONE,
                    Duration.ofSeconds(10),
                    OutputSink.DISCARD);
            rounds++;
            sleep(50);
        }
        if (rounds > 0) {
            sink.line(OutputSink.Stream.STDOUT, "stopped the processes left running by uid " + uid);
        }
        if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            removeTree(root);
        }
        users.release(root);
    }

    /** The root belongs to its uid, mode 0700; a fresh uid also receives what an earlier, unsandboxed deploy left there. */
    private static void handOver(Path root, SandboxUsers.Allocation allocation) throws IOException {
        Files.createDirectories(root.getParent());
        if (Files.isSymbolicLink(root)) {
            throw new IOException("the root is a symbolic link");
        }
        if (!Files.exists(root)) {
            Files.createDirectory(root);
        }
        if (allocation.fresh()) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    chown(file, allocation.uid());
                }
            }
        } else {
            chown(root, allocation.uid());
        }
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    }

    private static void chown(Path file, int uid) throws IOException {
        Files.setAttribute(file, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(file, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
    }

    /** Deletes a tree without following symbolic links (only the links themselves go). */
    private static void removeTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The absolute bwrap to run, once sure this machine can sandbox; otherwise the job fails saying what to set up. */
    private String requireSandboxing(String host) throws TransportException {
        int uid = effectiveUid.getAsInt();
        if (uid != 0) {
            throw new TransportException.HostUnreachable(
                    host,
                    "transport sandbox needs Conveyor to run as root, to run each "
                            + "environment's commands as an unprivileged uid of its own (Conveyor runs as uid " + uid
                            + "); run Conveyor "
                            + "as root, or give this environment an ssh host; nothing was run unsandboxed; " + HOW_TO,
                    null);
        }
        for (String tool : List.of("setpriv", "bwrap")) {
            Optional<Path> found = Stream.of(Sandbox.PATH.split(":"))
                    .map(dir -> Path.of(dir, tool))
                    .filter(Files::isExecutable)
                    .findFirst();
            if (found.isEmpty()) {
                throw new TransportException.HostUnreachable(
                        host,
                        "transport sandbox needs " + tool + " (apt-get install "
                                + (tool.equals("bwrap") ? "bubblewrap" : "util-linux")
                                + "); nothing was run unsandboxed; " + HOW_TO,
                        null);
            }
            if (tool.equals("bwrap")) {
                return found.get().toString();
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** The folder Conveyor runs from (the one holding quarkus-run.jar, or the classes folder in development). */
    private static Optional<Path> installFolder() {
        try {
            Path location = Path.of(SandboxConnector.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            for (Path dir = location; dir != null; dir = dir.getParent()) {
                if (Files.exists(dir.resolve("quarkus-run.jar"))) {
                    return Optional.of(dir);
                }
            }
            return Optional.of(Files.isDirectory(location) ? location : location.getParent());
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
