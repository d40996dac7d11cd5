package org.cnx.conveyor.release;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.cnx.conveyor.common.DataDirectory;
import org.cnx.conveyor.outbound.AddressRule;
import org.cnx.conveyor.release.ReleaseViews.Artifact;

/**
 * Gets a release's artifact onto Conveyor's machine, verified by checksum, so it can be sent to hosts. Only jobs
 * fetch ({@link #fetch}); pages and checks use what is already here ({@link #present}), so viewing a plan never
 * makes Conveyor send a request to a URL a developer chose.
 */
@ApplicationScoped
public class ArtifactStore {

    private final ArtifactRoots roots;
    private final ArtifactDownload download;

    ArtifactStore(ArtifactRoots roots, ArtifactsConfig config) {
        this.roots = roots;
        this.download = new ArtifactDownload(addressRule(config), config);
    }

    /** The addresses artifact URLs may point to: public ones, and the hosts of the allow list. */
    static AddressRule addressRule(ArtifactsConfig config) {
        return new AddressRule(config.allowedHosts(), "conveyor.artifacts.allowed-hosts");
    }

    /**
     * The local file holding the artifact's bytes; a URL artifact is downloaded once into the data directory, where
     * uploaded artifacts (only a {@code sha256}) are stored too.
     */
    public synchronized Path fetch(Artifact artifact) throws IOException {
        Optional<Path> here = present(artifact);
        if (here.isPresent()) {
            return here.get();
        }
        if (artifact.url() == null) {
            throw new IOException("the uploaded artifact " + artifact.sha256() + " is no longer on Conveyor's machine");
        }
        Path cached = cacheFile(artifact);
        Files.createDirectories(cached.getParent());
        Path part = cached.resolveSibling(cached.getFileName() + ".download");
        try {
            download.into(artifact.url(), part);
            check(part, artifact.sha256(), "the artifact downloaded from " + artifact.url());
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        Files.move(part, cached, StandardCopyOption.ATOMIC_MOVE);
        return cached;
    }

    /**
     * The local file of the artifact if Conveyor has it without a download: a path artifact (still inside the
     * artifact roots, checksum verified) or a URL artifact a job already fetched.
     */
    public Optional<Path> present(Artifact artifact) throws IOException {
        if (artifact.path() != null) {
            Path path;
            try {
                path = roots.confine(artifact.path());
            } catch (ArtifactRoots.Refused e) {
                throw new IOException("artifact " + artifact.path() + " cannot be used: " + e.getMessage());
            }
            check(path, artifact.sha256(), "artifact " + artifact.path());
            return Optional.of(path);
        }
        Path cached = cacheFile(artifact);
        return Files.isRegularFile(cached) ? Optional.of(cached) : Optional.empty();
    }

    private static Path cacheFile(Artifact artifact) throws IOException {
        if (artifact.sha256() == null
                || !ReleaseValidator.SHA256.matcher(artifact.sha256()).matches()) {
            throw new IOException("the artifact has no valid sha256 to check it against");
        }
        return DataDirectory.resolve().resolve("artifacts").resolve(artifact.sha256() + ".tar.gz");
    }

    // The actual checksum is not shown: a mismatch would otherwise tell anyone who reads the log the hash of a file
    // or of a URL's answer that the release's author could not read.
    private static void check(Path file, String expected, String source) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(source + " is not a readable file on Conveyor's machine");
        }
        String actual = ReleaseValidator.sha256(file);
        if (!actual.equals(expected)) {
            throw new IOException(source + " does not match the sha256 the release pins (" + expected + ")");
        }
    }
}
