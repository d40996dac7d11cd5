package org.cnx.conveyor.artifact;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;
import org.cnx.conveyor.common.DataDirectory;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.DomainException.TooLarge;

/**
 * The files of uploaded artifacts, addressed by their SHA-256: {@code <data dir>/artifacts/<sha256>.tar.gz}, the same
 * place where a URL artifact is cached once downloaded, so a job finds either without asking which it is. A body is
 * streamed into a temporary file while it is hashed, and moved into place only when its checksum is the one named.
 */
@ApplicationScoped
public class UploadStore {

    public static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    private static final int BUFFER = 64 * 1024;

    /** The file holding the artifact with this checksum (it may not exist). */
    public Path file(String sha256) {
        requireChecksum(sha256);
        return directory().resolve(sha256 + ".tar.gz");
    }

    /** True when the artifact's bytes are here. */
    public boolean has(String sha256) {
        return Files.isRegularFile(file(sha256));
    }

    /**
     * Streams {@code body} into the store under {@code sha256}; returns its size. Refuses (and keeps nothing of) a body
     * larger than {@code max} bytes or whose checksum is not {@code sha256}. An artifact already here is not rewritten.
     */
    public long put(String sha256, InputStream body, long max) throws IOException {
        Path target = file(sha256);
        Path partial = partials().resolve(sha256 + "." + UUID.randomUUID() + ".part");
        try {
            MessageDigest digest = sha256Digest();
            long size = copy(body, partial, digest, max);
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(sha256)) {
                // The actual checksum is said: the uploader sent these bytes, so it tells them nothing new.
                throw new Invalid("the uploaded bytes have the sha256 " + actual + ", not " + sha256
                        + " (a corrupted or truncated upload): nothing was stored");
            }
            moveIntoPlace(partial, target);
            return size;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Deletes the artifact's file; true when there was one. */
    public boolean delete(String sha256) throws IOException {
        return Files.deleteIfExists(file(sha256));
    }

    private static long copy(InputStream body, Path partial, MessageDigest digest, long max) throws IOException {
        long size = 0;
        byte[] buffer = new byte[BUFFER];
        try (OutputStream out = Files.newOutputStream(partial)) {
            for (int read; (read = body.read(buffer)) >= 0; ) {
                size += read;
                if (size > max) {
                    throw new TooLarge("the artifact is larger than " + max + " bytes (conveyor.uploads.max-size)");
                }
                digest.update(buffer, 0, read);
                out.write(buffer, 0, read);
            }
        }
        return size;
    }

    // Two uploads of the same artifact may race: the first one in place wins, the other's identical bytes are dropped.
    private static void moveIntoPlace(Path partial, Path target) throws IOException {
        if (Files.exists(target)) {
            return;
        }
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // Another upload of the same bytes finished first.
        }
    }

    private static Path directory() {
        return DataDirectory.resolve().resolve("artifacts");
    }

    private static Path partials() throws IOException {
        Path dir = directory().resolve("uploading");
        Files.createDirectories(dir);
        return dir;
    }

    static void requireChecksum(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new Invalid("expected the artifact's sha256 as 64 lowercase hex digits");
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
