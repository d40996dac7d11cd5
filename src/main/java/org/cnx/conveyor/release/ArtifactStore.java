package org.cnx.conveyor.release;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.cnx.conveyor.common.DataDirectory;
import org.cnx.conveyor.release.ReleaseViews.Artifact;

/** Gets a release's artifact onto Conveyor's machine, verified by checksum, so it can be sent to hosts. */
@ApplicationScoped
public class ArtifactStore {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    /** The local file holding the artifact's bytes; a URL artifact is downloaded once into the data directory. */
    public synchronized Path local(Artifact artifact) throws IOException {
        if (artifact.path() != null) {
            Path path = Path.of(artifact.path());
            check(path, artifact.sha256(), artifact.path());
            return path;
        }
        Path cached = DataDirectory.resolve().resolve("artifacts").resolve(artifact.sha256() + ".tar.gz");
        if (Files.exists(cached)) {
            return cached;
        }
        Files.createDirectories(cached.getParent());
        Path download = cached.resolveSibling(cached.getFileName() + ".download");
        try {
            HttpResponse<Path> response = http.send(HttpRequest.newBuilder(URI.create(artifact.url()))
                    .timeout(Duration.ofMinutes(10)).GET().build(), HttpResponse.BodyHandlers.ofFile(download));
            if (response.statusCode() != 200) {
                throw new IOException("downloading " + artifact.url() + " answered HTTP " + response.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + artifact.url(), e);
        }
        try {
            check(download, artifact.sha256(), artifact.url());
        } catch (IOException e) {
            Files.deleteIfExists(download);
            throw e;
        }
        Files.move(download, cached, StandardCopyOption.ATOMIC_MOVE);
        return cached;
    }

    private static void check(Path file, String expected, String source) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("artifact " + source + " is not a readable file on Conveyor's machine");
        }
        String actual = ReleaseValidator.sha256(file);
        if (!actual.equals(expected)) {
            throw new IOException("artifact " + source + " has checksum " + actual + ", but the release pins " + expected);
        }
    }
}
