package org.cnx.conveyor.preview;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.SampleStack;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * cnx.org is many repositories behind one site: pull request #2 of openstax/webview and pull request #2 of
 * openstax/cnx-archive get two previews, each running the dev stage's release with its own component replaced, and
 * closing one leaves the other running. One of the two arrives form-encoded, GitHub's default content type.
 */
@QuarkusTest
class PreviewRepositoriesTest {

    static final Duration DEPLOY = Duration.ofSeconds(180);
    private static final Path HOSTS = Path.of("target", "test-data", "hosts").toAbsolutePath();

    @AfterAll
    static void stopLeftOverStacks() {
        SampleStack.stopAll(HOSTS.resolve("pr-webview-2"));
        SampleStack.stopAll(HOSTS.resolve("pr-cnx-archive-2"));
        SampleStack.stopAll(HOSTS.resolve("demo"));
    }

    @Test
    void twoRepositoriesWithTheSamePullRequestNumberGetTwoPreviewsOfTheirOwnComponent() {
        JsonPath base = devStageRelease(GitHub.sha(8000));

        String webviewSha = GitHub.sha(8201);
        String archiveSha = GitHub.sha(8202);
        GitHub.deliver(
                        "pull_request",
                        "webview-2-opened",
                        GitHub.pullRequest("openstax/webview", "opened", 2, "feature/bold", webviewSha))
                .then()
                .statusCode(202)
                .body("outcome", containsString("created pr-webview-2"));
        GitHub.deliverForm(
                        "pull_request",
                        "cnx-archive-2-opened",
                        GitHub.pullRequest("openstax/cnx-archive", "opened", 2, "feature/fast-search", archiveSha))
                .then()
                .statusCode(202)
                .body("outcome", containsString("created pr-cnx-archive-2"));

        JsonPath webview = awaitPreview("openstax/webview", 2, "ready");
        JsonPath archive = awaitPreview("openstax/cnx-archive", 2, "ready");
        assertThat(webview.getString("environment")).isEqualTo("pr-webview-2");
        assertThat(archive.getString("environment")).isEqualTo("pr-cnx-archive-2");
        assertThat(webview.getString("commit")).isEqualTo(webviewSha);
        assertThat(archive.getString("commit")).isEqualTo(archiveSha);
        assertThat(webview.getString("url")).isNotEqualTo(archive.getString("url"));

        JsonPath webviewRelease = release(webview.getLong("release"));
        assertThat(webviewRelease.getString("source.repository")).isEqualTo("openstax/webview");
        assertThat(webviewRelease.getInt("source.pullRequest")).isEqualTo(2);
        assertThat(webviewRelease.getString("source.commit")).isEqualTo(webviewSha);
        assertThat(webviewRelease.getString("notes"))
                .isEqualTo("Preview of pull request openstax/webview#2 at " + webviewSha.substring(0, 12)
                        + ": webview built from it, every other component from release " + base.getLong("id"));
        assertThat(webviewRelease.getString("components.webview.artifact.path"))
                .as("webview comes from the pull request's build")
                .isNotEqualTo(base.getString("components.webview.artifact.path"));
        for (String kept : List.of("db", "archive", "publishing")) {
            assertThat(webviewRelease.getString("components." + kept + ".artifact.sha256"))
                    .as(kept + " is the dev stage's")
                    .isEqualTo(base.getString("components." + kept + ".artifact.sha256"));
            assertThat(webviewRelease.getString("components." + kept + ".artifact.path"))
                    .isEqualTo(base.getString("components." + kept + ".artifact.path"));
        }
        JsonPath archiveRelease = release(archive.getLong("release"));
        assertThat(archiveRelease.getString("source.repository")).isEqualTo("openstax/cnx-archive");
        assertThat(archiveRelease.getString("components.webview.artifact.path"))
                .isEqualTo(base.getString("components.webview.artifact.path"));
        assertThat(archiveRelease.getString("components.archive.artifact.path"))
                .isNotEqualTo(base.getString("components.archive.artifact.path"));

        for (JsonPath preview : List.of(webview, archive)) {
            Api.asAdmin()
                    .redirects()
                    .follow(false)
                    .get("/go/" + preview.getString("environment"))
                    .then()
                    .statusCode(303)
                    .header("Location", preview.getString("url"));
            given().get(preview.getString("url"))
                    .then()
                    .statusCode(200)
                    .body(containsString("Release " + preview.getLong("release")));
        }

        GitHub.deliver("pull_request", GitHub.pullRequest("openstax/webview", "closed", 2, "feature/bold", webviewSha))
                .then()
                .statusCode(202)
                .body("outcome", containsString("tearing down pr-webview-2"));
        awaitPreview("openstax/webview", 2, "torn-down");
        assertThat(preview("openstax/cnx-archive", 2).getString("status"))
                .as("closing webview#2 leaves cnx-archive#2 alone")
                .isEqualTo("ready");
        given().get(archive.getString("url")).then().statusCode(200);

        GitHub.deliver(
                        "pull_request",
                        GitHub.pullRequest("openstax/cnx-archive", "closed", 2, "feature/fast-search", archiveSha))
                .then()
                .statusCode(202);
        awaitPreview("openstax/cnx-archive", 2, "torn-down");
    }

    @Test
    void aRepositoryOutsideTheComponentMapIsIgnored() {
        GitHub.deliver(
                        "pull_request",
                        GitHub.pullRequest("openstax/unrelated", "opened", 2, "feature/x", GitHub.sha(8301)))
                .then()
                .statusCode(202)
                .body("outcome", containsString("ignored: repository openstax/unrelated builds no component"))
                .body("job", org.hamcrest.Matchers.nullValue());
    }

    /** The dev stage's release: a push to openstax/cnx's main, built and deployed to the demo environment. */
    static JsonPath devStageRelease(String sha) {
        JsonPath answer = GitHub.deliver("push", GitHub.push("openstax/cnx", "main", GitHub.sha(7999), sha))
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();
        assertThat(Jobs.awaitFinished(answer.getLong("job"), DEPLOY).getString("job.status"))
                .isEqualTo("succeeded");
        long release = Wait.until("the push's release to be live on demo", DEPLOY, () -> {
            Object current = Api.asAdmin()
                    .get("/api/environments/demo")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .get("summary.currentRelease");
            if (current == null) {
                return null;
            }
            JsonPath live = release(((Number) current).longValue());
            return sha.equals(live.getString("source.commit")) ? live.getLong("id") : null;
        });
        return release(release);
    }

    static JsonPath release(long id) {
        return Api.asAdmin()
                .get("/api/releases/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static JsonPath awaitPreview(String repository, int number, String status) {
        return Wait.until(repository + "#" + number + " to be " + status, DEPLOY, () -> {
            JsonPath p = preview(repository, number);
            if (p != null && p.getString("status").equals("failed") && !status.equals("failed")) {
                String log = p.get("job") == null ? "(no job)" : Jobs.rawLog(p.getLong("job"));
                throw new AssertionError(repository + "#" + number + " failed: " + p.prettify() + "\n" + log);
            }
            return p != null && p.getString("status").equals(status) ? p : null;
        });
    }

    /** The newest preview of the repository's pull request, as {@code GET /api/previews} shows it. */
    static JsonPath preview(String repository, int number) {
        String list = Api.asAdmin()
                .get("/api/previews")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<Map<String, Object>> found = JsonPath.from(list)
                .getList("findAll { it.number == " + number + " && it.repository == '" + repository + "' }");
        if (found.isEmpty()) {
            return null;
        }
        return JsonPath.from(new ObjectMapper().valueToTree(found.get(0)).toString());
    }
}
