package org.cnx.conveyor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Packages the echo test stack ({@code src/test/resources/stacks/echo}) as a release artifact per version. */
public final class EchoStack {

    private static final Path SOURCE = Path.of("src/test/resources/stacks/echo").toAbsolutePath();
    private static final Path OUT = Path.of("target/test-artifacts").toAbsolutePath();

    private EchoStack() {}

    private static final java.util.Set<String> BUILT = new java.util.HashSet<>();

    /** The artifact of a version, built once per test run (so it always holds the current stack files). */
    public static synchronized Path artifact(String version) {
        Path tarball = OUT.resolve("echo-" + version + ".tar.gz");
        if (BUILT.contains(version)) {
            return tarball;
        }
        try {
            Path staging = Files.createDirectories(OUT.resolve("echo-" + version));
            try (var files = Files.list(SOURCE)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.copy(
                            file,
                            staging.resolve(file.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.writeString(staging.resolve("VERSION"), version + "\n");
            run(new ProcessBuilder("tar", "-czf", tarball.toString(), "-C", staging.toString(), "."));
            BUILT.add(version);
            return tarball;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the echo service of one environment's component folder, if it runs. */
    /**
     * A definition of a shared environment {@code name} whose hosts are local, each rooted in {@code roots/<host>},
     * running the echo stack's component {@code app}; {@code extra} (YAML) follows its components.
     */
    public static String localDefinition(String name, Path roots, List<String> hosts, String extra) {
        StringBuilder yaml = new StringBuilder("name: " + name + "\nkind: shared\nstage: dev\nhosts:\n");
        for (String host : hosts) {
            yaml.append("  - name: ")
                    .append(host)
                    .append("\n    transport: local\n    roles: [app]\n    root: ")
                    .append(roots.resolve(host))
                    .append('\n');
        }
        return yaml.append("""
                        components:
                          app:
                            install: ./install.sh
                            start: ./start.sh
                            stop: ./stop.sh
                            health:
                              command: ./health.sh
                        """).append(extra).toString();
    }

    public static void stop(Path componentDir) {
        Path pid = componentDir.resolve("shared/server.pid");
        if (!Files.exists(pid)) {
            return;
        }
        try {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(ProcessHandle::destroy);
            Files.deleteIfExists(pid);
        } catch (IOException | NumberFormatException e) {
            // Best effort: the process is gone or the file half-written.
        }
    }

    private static void run(ProcessBuilder builder) throws IOException {
        try {
            if (builder.inheritIO().start().waitFor() != 0) {
                throw new IOException("failed: " + builder.command());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
