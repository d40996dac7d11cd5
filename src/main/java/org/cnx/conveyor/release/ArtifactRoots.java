package org.cnx.conveyor.release;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cnx.conveyor.common.DataDirectory;

/**
 * Where a {@code path} artifact may live: a readable regular file whose real path (symlinks followed) lies inside
 * {@code <data dir>/artifacts} or a configured root, and never among the data directory's other files (master key,
 * database, passwords) or the kernel's {@code /proc}, {@code /sys}, {@code /dev}, whatever the roots hold.
 */
@ApplicationScoped
public class ArtifactRoots {

    private static final List<Path> KERNEL = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

    /** A path the rule refuses; the message says which rule, and nothing about files outside the roots. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private final ArtifactsConfig config;

    ArtifactRoots(ArtifactsConfig config) {
        this.config = config;
    }

    /** The real path of {@code path} when it is an artifact Conveyor may read. */
    public Path confine(String path) throws Refused {
        if (path == null || path.isBlank()) {
            throw new Refused("expected an absolute path to a file in an artifact root");
        }
        if (path.indexOf('\0') >= 0) {
            throw new Refused("a path cannot contain a NUL character");
        }
        Path given;
        try {
            given = Path.of(path);
        } catch (InvalidPathException e) {
            throw new Refused("not a valid path");
        }
        if (!given.isAbsolute()) {
            throw new Refused("expected an absolute path, found a relative one");
        }
        List<Path> roots = roots();
        // Checked before touching the file, so the answer says nothing about files outside the roots.
        if (outside(given.normalize(), roots)) {
            throw new Refused(outsideMessage(roots));
        }
        Path real;
        try {
            real = given.toRealPath();
        } catch (IOException | SecurityException e) {
            throw new Refused("no readable file at this path");
        }
        if (outside(real, roots)) {
            throw new Refused(
                    "the path leads outside the artifact roots (through a symbolic link); " + outsideMessage(roots));
        }
        if (ownFile(real)) {
            throw new Refused("the path leads to Conveyor's own files, which are never artifacts");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) || !Files.isReadable(real)) {
            throw new Refused("no readable file at this path");
        }
        return real;
    }

    /** The roots in force: {@code <data dir>/artifacts} and each configured root, by real path where they exist. */
    List<Path> roots() {
        List<Path> roots = new ArrayList<>();
        roots.add(DataDirectory.resolve().resolve("artifacts"));
        config.roots().stream()
                .filter(r -> !r.isBlank())
                .map(r -> Path.of(r.strip()).toAbsolutePath().normalize())
                .forEach(roots::add);
        return roots.stream().map(ArtifactRoots::real).toList();
    }

    private static boolean outside(Path path, List<Path> roots) {
        return roots.stream().noneMatch(path::startsWith);
    }

    private static String outsideMessage(List<Path> roots) {
        return "artifact paths must lie inside "
                + String.join(", ", roots.stream().map(Path::toString).toList()) + " (conveyor.artifacts.roots)";
    }

    /** Inside the data directory but not in its artifacts folder, or a kernel file system. */
    private static boolean ownFile(Path real) {
        Path data = real(DataDirectory.resolve());
        Path artifacts = real(DataDirectory.resolve().resolve("artifacts"));
        boolean dataFile = real.startsWith(data) && !real.startsWith(artifacts);
        return dataFile || KERNEL.stream().anyMatch(real::startsWith);
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
