package org.cnx.conveyor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** A copy of the repository's {@code environments/} that tests may change freely ({@code conveyor.environments-dir} in tests). */
public final class TestEnvironments {

    public static final Path DIR =
            Path.of("target", "test-environments", "environments").toAbsolutePath();

    private TestEnvironments() {}

    /** Replaces the test copy with the shipped files. */
    public static void reset() {
        try {
            if (Files.exists(DIR)) {
                try (Stream<Path> files = Files.walk(DIR)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
            Path source = Path.of("environments").toAbsolutePath();
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path target = DIR.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(String fileName, String text) {
        try {
            Files.writeString(DIR.resolve(fileName), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code <name>.yml}: one local host running one component {@code app} whose steps do nothing, so its
     * deploys take no time; {@code approvals} above 0 makes it protected.
     */
    public static void writeInstant(String name, String stage, int approvals) {
        write(name + ".yml", """
                name: %s
                kind: shared
                stage: %s
                protection:
                  approvals: %d
                root: hosts/%s
                hosts:
                  - name: local
                    transport: local
                    roles: [app]
                components:
                  app:
                    start: "true"
                    stop: "true"
                """.formatted(name, stage, approvals, name));
    }

    public static void delete(String fileName) {
        try {
            Files.deleteIfExists(DIR.resolve(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
