package org.cnx.conveyor.snapshot;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.cnx.conveyor.common.DataDirectory;

/**
 * The snapshot folder: files in progress under names no snapshot row points at, finished files moved into place
 * whole and made read-only, and their SHA-256 checked before a restore reads them.
 */
@ApplicationScoped
public class SnapshotFiles {

    private final Path dir;

    SnapshotFiles(SnapshotConfig config) {
        this.dir = config.dir()
                .map(Path::of)
                .orElse(DataDirectory.resolve().resolve("snapshots"))
                .toAbsolutePath();
    }

    /** A file for work in progress of job {@code jobId}; {@link #store} or {@link #discard} ends it. */
    Path scratch(long jobId, String what) throws IOException {
        // Only Conveyor's user may read the folder: a snapshot is scrubbed, but still the site's data.
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return dir.resolve(".job-" + jobId + "-" + what + ".partial");
    }

    /** Moves a finished file into place under {@code name}, read-only. */
    Path store(Path partial, String name) throws IOException {
        Path file = dir.resolve(name);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        return file;
    }

    Path path(Snapshot snapshot) {
        return dir.resolve(snapshot.file);
    }

    void discard(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
