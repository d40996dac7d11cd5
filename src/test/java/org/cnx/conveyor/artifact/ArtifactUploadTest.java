package org.cnx.conveyor.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.cnx.conveyor.common.DataDirectory;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.SampleStack;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Artifacts uploaded by CI: streamed to disk under their checksum, verified, kept while a release needs them. */
@QuarkusTest
class ArtifactUploadTest {

    private static final long HUNDRED_MB = 100L * 1024 * 1024;
    private static final Path DEMO_ROOT =
            Path.of("target", "test-data", "hosts", "demo").toAbsolutePath();

    @TestHTTPResource("/api/artifacts/")
    URL artifacts;

    @Inject
    ArtifactUploads uploads;

    @Inject
    EntityManager entities;

    @AfterAll
    static void stopTheSampleStack() {
        SampleStack.stopAll(DEMO_ROOT);
    }

    @Test
    void aHundredMegabyteUploadIsStreamedToDiskWithTheHeapStayingFlat() throws Exception {
        Path file = Path.of("target", "test-artifacts", "hundred-mb.bin");
        Files.createDirectories(file.getParent());
        String sha256 = writeRandom(file, HUNDRED_MB, 22);
        Files.deleteIfExists(DataDirectory.resolve().resolve("artifacts").resolve(sha256 + ".tar.gz"));
        QuarkusTransaction.requiringNew()
                .run(() -> entities.createNativeQuery("DELETE FROM artifact_uploads WHERE sha256 = ?1")
                        .setParameter(1, sha256)
                        .executeUpdate());
        long before = usedHeapAfterGc();

        // The client stops after 90 MB until the heap has been measured: were the body buffered in memory, those
        // 90 MB would be live on Conveyor's heap at that moment.
        long pauseAt = 90L * 1024 * 1024;
        CountDownLatch measured = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> response = HttpClient.newHttpClient()
                .sendAsync(
                        put(sha256)
                                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                                        HttpRequest.BodyPublishers.ofInputStream(
                                                () -> new PausingStream(file, pauseAt, measured)),
                                        HUNDRED_MB))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        Path uploading = DataDirectory.resolve().resolve("artifacts").resolve("uploading");
        Wait.until(
                "80 MB written to the upload's temporary file",
                Duration.ofMinutes(2),
                () -> partSize(uploading) > 80L * 1024 * 1024);
        long during = usedHeapAfterGc();
        measured.countDown();
        HttpResponse<String> done = response.get();
        long after = usedHeapAfterGc();

        System.out.printf(
                "Upload of 100 MB: used heap %d MB before, %d MB with 80+ MB received, %d MB after%n",
                before >> 20, during >> 20, after >> 20);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
        assertThat(JsonPath.from(done.body()).getLong("size")).isEqualTo(HUNDRED_MB);
        assertThat(during - before).as("heap growth with 80+ MB received").isLessThan(40L * 1024 * 1024);
        Api.asRole("reviewer")
                .head("/api/artifacts/" + sha256)
                .then()
                .statusCode(200)
                .header("X-Artifact-Size", String.valueOf(HUNDRED_MB));
        assertThat(Files.size(DataDirectory.resolve().resolve("artifacts").resolve(sha256 + ".tar.gz")))
                .isEqualTo(HUNDRED_MB);
    }

    @Test
    void aCorruptedUploadIsRefusedAndNothingOfItIsKept() throws Exception {
        byte[] original = "the artifact as CI built it".getBytes(StandardCharsets.UTF_8);
        String sha256 = sha256(original);
        byte[] corrupted = "the artifact as CI built iT".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> refused = send(put(sha256).PUT(HttpRequest.BodyPublishers.ofByteArray(corrupted)));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("not " + sha256).contains("nothing was stored");
        Api.asRole("reviewer").head("/api/artifacts/" + sha256).then().statusCode(404);
        assertThat(partSize(DataDirectory.resolve().resolve("artifacts").resolve("uploading")))
                .isZero();
        assertThat(send(put(sha256).PUT(HttpRequest.BodyPublishers.ofByteArray(original)))
                        .statusCode())
                .as("the same upload, restarted with the right bytes")
                .isEqualTo(201);
    }

    @Test
    void anArtifactAlreadyHereIsNotRewrittenByAnotherUpload() throws Exception {
        byte[] bytes = ("uploaded once " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        String sha256 = sha256(bytes);
        assertThat(send(put(sha256).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)))
                        .statusCode())
                .isEqualTo(201);
        Path file = DataDirectory.resolve().resolve("artifacts").resolve(sha256 + ".tar.gz");
        var written = Files.getLastModifiedTime(file);

        HttpResponse<String> again = send(put(sha256).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(written);
    }

    @Test
    void aChecksumThatIsNotOneIsRefusedBeforeAnythingIsWritten() throws Exception {
        HttpResponse<String> refused =
                send(HttpRequest.newBuilder(artifacts.toURI().resolve("..%2F..%2Fmaster-key"))
                        .header("Authorization", basic("developer-user"))
                        .PUT(HttpRequest.BodyPublishers.ofString("x")));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Files.exists(DataDirectory.resolve().resolve("master-key.tar.gz")))
                .isFalse();
    }

    @Test
    void anUploadPastTheSizeLimitIsRefused() throws Exception {
        // conveyor.uploads.max-size is 120 MB in the tests: a declared larger body is refused before it is read,
        // and a streamed one (no Content-Length) once it passes the limit.
        long tooLarge = 120L * 1024 * 1024 + 1;
        HttpResponse<String> declared = send(put("0".repeat(64))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new Zeros(tooLarge)), tooLarge)));
        assertThat(declared.statusCode()).isEqualTo(413);

        int streamed;
        try {
            streamed = send(put("1".repeat(64))
                            .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new Zeros(tooLarge))))
                    .statusCode();
        } catch (IOException e) {
            streamed = 413; // Conveyor may close the connection on the 413 before the client reads it.
        }
        assertThat(streamed).isEqualTo(413);
        Api.asRole("reviewer").head("/api/artifacts/" + "1".repeat(64)).then().statusCode(404);
    }

    @Test
    void aReleaseOfUploadedArtifactsDeploysToALocalEnvironment() throws Exception {
        long sample = Api.newestConveyorRelease();
        Map<String, Map<String, Object>> components = Api.asAdmin()
                .get("/api/releases/" + sample)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("components");
        Map<String, Object> pins = new LinkedHashMap<>();
        for (var component : components.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, String> artifact =
                    (Map<String, String>) component.getValue().get("artifact");
            byte[] bytes = Files.readAllBytes(Path.of(artifact.get("path")));
            int status = send(put(artifact.get("sha256")).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)))
                    .statusCode();
            assertThat(status).isIn(200, 201);
            pins.put(
                    component.getKey(),
                    Map.of(
                            "version",
                            component.getValue().get("version"),
                            "artifact",
                            Map.of("sha256", artifact.get("sha256"))));
        }
        long release = Api.asRole("developer")
                .body(Map.of("components", pins, "notes", "uploaded by CI"))
                .post("/api/releases")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");

        long job = Jobs.deploy("demo", release);
        JsonPath detail = Jobs.awaitFinished(job, Duration.ofMinutes(2));

        assertThat(detail.getString("job.status")).as(Jobs.rawLog(job)).isEqualTo("succeeded");
        assertThat(Files.readSymbolicLink(DEMO_ROOT.resolve("webview/current")).toString())
                .isEqualTo("releases/" + release);
    }

    @Test
    void aReleaseCannotNameAnArtifactThatWasNeverUploaded() {
        Api.asRole("developer")
                .body(Map.of(
                        "components",
                        Map.of("webview", Map.of("version", "1.0", "artifact", Map.of("sha256", "e".repeat(64))))))
                .post("/api/releases")
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("upload it first"));
    }

    @Test
    void unreferencedUploadsAreDeletedAfterTheirRetentionAndReferencedOnesNever() throws Exception {
        byte[] loose = ("nobody needs this " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        byte[] kept = ("a release needs this " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        String looseSha = sha256(loose);
        String keptSha = sha256(kept);
        send(put(looseSha).PUT(HttpRequest.BodyPublishers.ofByteArray(loose)));
        send(put(keptSha).PUT(HttpRequest.BodyPublishers.ofByteArray(kept)));
        Api.asRole("developer")
                .body(Map.of(
                        "components",
                        Map.of("webview", Map.of("version", "1.0", "artifact", Map.of("sha256", keptSha)))))
                .post("/api/releases")
                .then()
                .statusCode(201);
        // Both last touched a year ago: past any retention.
        QuarkusTransaction.requiringNew()
                .run(() -> entities.createNativeQuery("UPDATE artifact_uploads SET touched_at = now() - interval"
                                + " '365 days' WHERE sha256 IN (?1, ?2)")
                        .setParameter(1, looseSha)
                        .setParameter(2, keptSha)
                        .executeUpdate());

        uploads.sweep();

        Api.asRole("reviewer").head("/api/artifacts/" + looseSha).then().statusCode(404);
        assertThat(DataDirectory.resolve().resolve("artifacts").resolve(looseSha + ".tar.gz"))
                .doesNotExist();
        Api.asRole("reviewer").head("/api/artifacts/" + keptSha).then().statusCode(200);
    }

    @Test
    void reviewersMayAskButNotUpload() throws Exception {
        byte[] bytes = "a reviewer's bytes".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> refused =
                send(HttpRequest.newBuilder(artifacts.toURI().resolve(sha256(bytes)))
                        .header("Authorization", basic("reviewer-user"))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        assertThat(refused.statusCode()).isEqualTo(403);
    }

    private HttpRequest.Builder put(String sha256) throws Exception {
        return HttpRequest.newBuilder(artifacts.toURI().resolve(sha256))
                .header("Authorization", basic("developer-user"))
                .header("Content-Type", "application/octet-stream");
    }

    private static String basic(String user) {
        Api.ensureUser(user, user.replace("-user", ""));
        return "Basic "
                + Base64.getEncoder().encodeToString((user + ":" + Api.USER_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long partSize(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> parts = Files.list(dir)) {
            return parts.mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String writeRandom(Path file, long size, long seed) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(seed);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                digest.update(block);
                out.write(block);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A file's bytes that stop at {@code pauseAt} until {@code resume} opens. */
    private static final class PausingStream extends InputStream {
        private final InputStream in;
        private final long pauseAt;
        private final CountDownLatch resume;
        private long read;

        PausingStream(Path file, long pauseAt, CountDownLatch resume) {
            try {
                this.in = Files.newInputStream(file);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            this.pauseAt = pauseAt;
            this.resume = resume;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (read >= pauseAt) {
                try {
                    resume.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            } else {
                len = (int) Math.min(len, pauseAt - read);
            }
            int n = in.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** {@code size} zero bytes, made as they are read. */
    private static final class Zeros extends InputStream {
        private long left;

        Zeros(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            return left-- > 0 ? 0 : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
