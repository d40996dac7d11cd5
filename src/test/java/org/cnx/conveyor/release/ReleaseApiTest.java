package org.cnx.conveyor.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReleaseApiTest {

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    static Map<String, Object> pin(String version, String sha) {
        return Map.of(
                "version",
                version,
                "artifact",
                Map.of("url", "https://artifacts.example/" + version + ".tar.gz", "sha256", sha));
    }

    static ValidatableResponse create(Map<String, Object> body) {
        return Api.asRole("developer").body(body).post("/api/releases").then();
    }

    @Test
    void createsANumberedReleaseWithItsSource() {
        int id = create(Map.of(
                        "components", Map.of("archive", pin("4.15.23", SHA_A), "webview", pin("2.3.0", SHA_B)),
                        "notes", "Fixes the search page",
                        "source", Map.of("branch", "master", "commit", "0123abcd", "pullRequest", 42)))
                .statusCode(201)
                .header("Location", containsString("/api/releases/"))
                .body("components.archive.version", equalTo("4.15.23"))
                .body("source.pullRequest", equalTo(42))
                .body("createdBy", equalTo("developer-user"))
                .extract()
                .path("id");
        Api.asRole("reviewer")
                .get("/api/releases/" + id)
                .then()
                .statusCode(200)
                .body("notes", equalTo("Fixes the search page"))
                .body("components.webview.artifact.sha256", equalTo(SHA_B));
        Api.asRole("reviewer").get("/api/releases").then().statusCode(200).body("id", hasItem(id));
    }

    @Test
    void aLocalArtifactGetsItsChecksumComputedAndAWrongOneIsRefused() throws Exception {
        Path artifact = Files.createTempFile(
                Files.createDirectories(Path.of("target/test-artifacts").toAbsolutePath()), "archive", ".tar.gz");
        Files.writeString(artifact, "pretend tarball");
        String expected = "c9dbd6c2ba3a4f5d4c3bd1ea66cb1c8fbd3dd8e5bd55d8e0c2cddc5c8be8f70b";
        String actual = ReleaseValidator.sha256(artifact);
        create(Map.of(
                        "components",
                        Map.of("archive", Map.of("version", "1.0", "artifact", Map.of("path", artifact.toString())))))
                .statusCode(201)
                .body("components.archive.artifact.sha256", equalTo(actual));
        create(Map.of(
                        "components",
                        Map.of(
                                "archive",
                                Map.of(
                                        "version",
                                        "1.0",
                                        "artifact",
                                        Map.of(
                                                "path",
                                                artifact.toString(),
                                                "sha256",
                                                expected.equals(actual) ? SHA_A : expected)))))
                .statusCode(400)
                .body("detail", containsString("components.archive.artifact.sha256: the file's checksum is " + actual));
    }

    /** A developer naming one of Conveyor's files, or the machine's, as an artifact: each is a 400 naming the rule. */
    @Test
    void pathsOutsideTheArtifactRootsAreRefusedAndNeverChecksummed() throws Exception {
        Path data = org.cnx.conveyor.common.DataDirectory.resolve();
        assertThat(data.resolve("master.key")).exists();
        Path root = Files.createDirectories(Path.of("target/test-artifacts").toAbsolutePath());
        Path link = root.resolve("innocent.tar.gz");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, data.resolve("master.key"));
        Map<String, String> attacks = new java.util.LinkedHashMap<>();
        attacks.put(data.resolve("master.key").toString(), "artifact paths must lie inside");
        attacks.put("/etc/shadow", "artifact paths must lie inside");
        attacks.put("/proc/self/environ", "artifact paths must lie inside");
        attacks.put(link.toString(), "the path leads outside the artifact roots (through a symbolic link)");
        attacks.put(root + "/../test-data/master.key", "artifact paths must lie inside");
        attacks.put(root + "/x" + (char) 0 + ".tar.gz", "a path cannot contain a NUL character");
        attacks.forEach((path, rule) -> create(Map.of(
                        "components", Map.of("archive", Map.of("version", "1.0", "artifact", Map.of("path", path)))))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("components.archive.artifact.path: " + rule))
                .body("detail", org.hamcrest.Matchers.not(containsString("sha256"))));
    }

    /** A developer's URL pointing at what only Conveyor's machine reaches is refused when the release is made. */
    @Test
    void urlsToPrivateAddressesAreRefusedWhenTheReleaseIsCreated() {
        for (String url : List.of(
                "http://169.254.169.254/latest/meta-data",
                "https://10.0.0.5/a.tar.gz",
                "http://[::1]:5432/",
                "http://192.168.1.1/x.tar.gz")) {
            create(Map.of(
                            "components",
                            Map.of(
                                    "archive",
                                    Map.of("version", "1.0", "artifact", Map.of("url", url, "sha256", SHA_A)))))
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString("components.archive.artifact.url: host "))
                    .body(
                            "detail",
                            containsString("which Conveyor does not contact unless the host is listed in "
                                    + "conveyor.artifacts.allowed-hosts"));
        }
    }

    @Test
    void keepsWhenTheSourceCommitWasMadeAndRefusesATimeWithoutACommitOrFromTheFuture() {
        create(Map.of(
                        "components", Map.of("archive", pin("4.15.24", SHA_A)),
                        "source", Map.of("commit", "0123abcd", "committedAt", "2026-11-28T10:12:44-05:00")))
                .statusCode(201)
                .body("source.committedAt", equalTo("2026-11-28T15:12:44Z"));

        List<String> errors = create(Map.of(
                        "components", Map.of("archive", pin("4.15.25", SHA_A)),
                        "source", Map.of("committedAt", "2026-11-28T15:12:44Z")))
                .statusCode(400)
                .extract()
                .jsonPath()
                .getList("errors");
        assertThat(errors)
                .containsExactly("source.committedAt: given without source.commit (the time of which commit?)");
        String future =
                java.time.Instant.now().plus(java.time.Duration.ofHours(2)).toString();
        assertThat(create(Map.of(
                                "components", Map.of("archive", pin("4.15.25", SHA_A)),
                                "source", Map.of("commit", "0123abcd", "committedAt", future)))
                        .statusCode(400)
                        .extract()
                        .jsonPath()
                        .getList("errors", String.class))
                .containsExactly("source.committedAt: " + future + " is in the future");
    }

    @Test
    void refusesBadReleasesNamingEachField() {
        create(Map.of("components", Map.of()))
                .statusCode(400)
                .body("detail", equalTo("components: expected at least one component"));
        List<String> errors = create(Map.of(
                        "components",
                                Map.of(
                                        "Bad Name", pin("1", SHA_A),
                                        "archive",
                                                Map.of(
                                                        "version",
                                                        "1.0; rm -rf /",
                                                        "artifact",
                                                        Map.of("url", "ftp://x", "sha256", SHA_A)),
                                        "webview",
                                                Map.of(
                                                        "version",
                                                        "2",
                                                        "artifact",
                                                        Map.of(
                                                                "url",
                                                                "https://x/y",
                                                                "path",
                                                                "/tmp/y",
                                                                "sha256",
                                                                SHA_A)),
                                        "press",
                                                Map.of(
                                                        "version",
                                                        "2",
                                                        "artifact",
                                                        Map.of("url", "https://x/y", "sha256", "xyz"))),
                        "source", Map.of("commit", "not-a-sha")))
                .statusCode(400)
                .contentType("application/problem+json")
                .extract()
                .jsonPath()
                .getList("errors");
        assertThat(errors)
                .contains(
                        "components.Bad Name: expected a component name of a-z, 0-9 and '-', starting with a letter",
                        "components.archive.version: expected a version like 4.15.23 (letters, digits, '.', '_', '+', '~', '-')",
                        "components.archive.artifact.url: expected an http or https URL",
                        "components.webview.artifact: expected exactly one of \"url\" or \"path\"",
                        "components.press.artifact.sha256: expected 64 lowercase hex digits",
                        "source.commit: expected 7-40 lowercase hex digits");
    }

    @Test
    void releasesCannotBeChangedOnlySuperseded() {
        int id = create(Map.of("components", Map.of("archive", pin("1.0.0", SHA_A))))
                .statusCode(201)
                .extract()
                .path("id");
        Api.asAdmin()
                .body(Map.of("components", Map.of("archive", pin("9.9.9", SHA_B))))
                .put("/api/releases/" + id)
                .then()
                .statusCode(405);
        Api.asAdmin().body(Map.of()).patch("/api/releases/" + id).then().statusCode(405);
        Api.asAdmin().delete("/api/releases/" + id).then().statusCode(405);
        Api.asAdmin().get("/api/releases/" + id).then().body("components.archive.version", equalTo("1.0.0"));
    }

    @Test
    void theDiffNamesWhatChangedFromWhatToWhat() {
        int from = create(Map.of(
                        "components",
                        Map.of(
                                "archive",
                                pin("4.15.22", SHA_A),
                                "webview",
                                pin("2.3.0", SHA_B),
                                "broker",
                                pin("1.0", SHA_A))))
                .statusCode(201)
                .extract()
                .path("id");
        int to = create(Map.of(
                        "components",
                        Map.of(
                                "archive",
                                pin("4.15.23", SHA_B),
                                "webview",
                                pin("2.3.0", SHA_B),
                                "press",
                                pin("0.1", SHA_A))))
                .statusCode(201)
                .extract()
                .path("id");
        Api.asRole("reviewer")
                .get("/api/releases/" + from + "/diff/" + to)
                .then()
                .statusCode(200)
                .body("from", equalTo(from))
                .body("to", equalTo(to))
                .body("components.find { it.name == 'archive' }.change", equalTo("changed"))
                .body("components.find { it.name == 'archive' }.from.version", equalTo("4.15.22"))
                .body("components.find { it.name == 'archive' }.to.version", equalTo("4.15.23"))
                .body("components.find { it.name == 'webview' }.change", equalTo("unchanged"))
                .body("components.find { it.name == 'broker' }.change", equalTo("removed"))
                .body("components.find { it.name == 'press' }.change", equalTo("added"));
        String page = Api.page(Api.loginCookie("admin", Api.ADMIN_PASSWORD))
                .get("/releases/" + from + "/diff/" + to)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page).contains("4.15.22").contains("4.15.23").contains("3 component(s) change");
    }

    @Test
    void anUnknownReleaseIs404() {
        Api.asRole("reviewer")
                .get("/api/releases/999999")
                .then()
                .statusCode(404)
                .body("detail", equalTo("no release 999999"));
    }
}
