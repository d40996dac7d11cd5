package org.cnx.conveyor.preview;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.events.StoredEvent;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.SampleStack;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pull request's life, driven by GitHub-shaped deliveries against the real sample stack on this machine: opened
 * makes a running preview, synchronize redeploys it, closed tears it down; GitHub hears about each deploy.
 */
@QuarkusTest
class PreviewLifecycleTest {

    private static final Duration DEPLOY = Duration.ofSeconds(120);
    private static final Path HOSTS = Path.of("target", "test-data", "hosts").toAbsolutePath();

    private static RecordingGitHub github;

    @Inject
    Pool pool;

    @BeforeAll
    static void startGitHub() {
        github = new RecordingGitHub();
    }

    @AfterAll
    static void stopGitHubAndAnyLeftOverStack() {
        github.close();
        SampleStack.stopAll(HOSTS.resolve("pr-cnx-41"));
        SampleStack.stopAll(HOSTS.resolve("pr-cnx-42"));
    }

    @Test
    void aPullRequestIsPreviewedRedeployedAndTornDown() {
        int number = 41;
        String first = GitHub.sha(4101);
        String second = GitHub.sha(4102);

        String opened = GitHub.pullRequest("opened", number, "feature/bold-titles", first);
        String delivery = "delivery-opened-41";
        long buildJob = GitHub.deliver("pull_request", delivery, opened)
                .then()
                .statusCode(202)
                .body("outcome", containsString("created pr-cnx-41"))
                .extract()
                .jsonPath()
                .getLong("job");
        JsonPath ready = awaitPreview(number, "ready");
        String url = ready.getString("url");
        long firstJob = ready.getLong("job");
        Instant firstExpiry = Instant.parse(ready.getString("expiresAt"));
        assertThat(ready.getString("commit")).isEqualTo(first);
        assertThat(ready.getString("title")).isEqualTo("Render module titles in bold (#41)");
        assertThat(ready.getString("author")).isEqualTo("octocat");
        assertThat(url).startsWith("http://localhost:231");
        given().get(url).then().statusCode(200).body(containsString("Preview of pull request 41"));
        Api.asAdmin()
                .redirects()
                .follow(false)
                .get("/go/pr-cnx-41")
                .then()
                .statusCode(303)
                .header("Location", url);
        String page = Api.page(Api.loginCookie("admin", Api.ADMIN_PASSWORD))
                .get("/previews")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page)
                .contains("data-preview=\"41\"")
                .contains("openstax/cnx#41")
                .contains("Render module titles in bold (#41)")
                .contains("octocat")
                .contains("feature/bold-titles")
                .contains("href=\"/go/pr-cnx-41\"")
                .contains(url);
        Map<String, String> held = QuarkusTransaction.requiringNew().call(() -> pool.held("pr-cnx-41"));
        assertThat(held).containsOnlyKeys("port:archive", "port:webview");

        List<Object> jobsBefore = jobsOf("pr-cnx-41");
        long releasesBefore = releaseCount();
        GitHub.deliver("pull_request", delivery, opened)
                .then()
                .statusCode(200)
                .body("outcome", containsString("handled before"));
        assertThat(jobsOf("pr-cnx-41")).as("a redelivery queues nothing").isEqualTo(jobsBefore);
        assertThat(releaseCount()).as("a redelivery builds nothing").isEqualTo(releasesBefore);

        GitHub.deliver("pull_request", GitHub.pullRequest("synchronize", number, "feature/bold-titles", second))
                .then()
                .statusCode(202)
                .body("outcome", containsString("building " + second.substring(0, 12) + " for pr-cnx-41"));
        JsonPath redeployed = Wait.until("the new head to be live", DEPLOY, () -> {
            JsonPath p = preview(number);
            return p != null
                            && p.getString("commit").equals(second)
                            && p.getString("status").equals("ready")
                    ? p
                    : null;
        });
        assertThat(redeployed.getLong("job")).isNotEqualTo(firstJob);
        assertThat(Instant.parse(redeployed.getString("expiresAt")))
                .as("the deploy restarted the TTL")
                .isAfter(firstExpiry);
        given().get(url).then().statusCode(200).body(containsString("Release " + redeployed.getLong("release")));

        GitHub.deliver("pull_request", GitHub.pullRequest("closed", number, "feature/bold-titles", second))
                .then()
                .statusCode(202)
                .body("outcome", containsString("tearing down pr-cnx-41"));
        awaitPreview(number, "torn-down");
        Api.asAdmin().get("/api/environments/pr-cnx-41").then().statusCode(404);
        assertThat(Files.exists(HOSTS.resolve("pr-cnx-41")))
                .as("the preview's folders are removed")
                .isFalse();
        assertThat(QuarkusTransaction.requiringNew().call(() -> pool.held("pr-cnx-41")))
                .as("ports back in the pool")
                .isEmpty();
        Api.asAdmin().redirects().follow(false).get("/go/pr-cnx-41").then().statusCode(404);
        Wait.until("the site to stop answering", Duration.ofSeconds(10), () -> {
            try {
                given().get(url);
                return false;
            } catch (Exception refused) {
                return true;
            }
        });

        List<RecordingGitHub.Status> statuses = Wait.until("six commit statuses", Duration.ofSeconds(30), () -> {
            List<RecordingGitHub.Status> got = github.received().stream()
                    .filter(s -> s.sha().equals(first) || s.sha().equals(second))
                    .toList();
            return got.size() >= 6 ? got : null;
        });
        assertThat(statuses)
                .extracting(s -> s.sha().equals(first) ? "first " + s.state() : "second " + s.state())
                .containsExactly(
                        "first pending",
                        "first pending",
                        "first success",
                        "second pending",
                        "second pending",
                        "second success");
        assertThat(statuses.get(0).path()).isEqualTo("/repos/openstax/cnx/statuses/" + first);
        assertThat(statuses.get(0).targetUrl())
                .as("the build's status links to the build job's live log")
                .isEqualTo("http://conveyor.test/jobs/" + buildJob);
        assertThat(statuses.get(0).description()).startsWith("Building");
        assertThat(statuses.get(1).targetUrl()).isEqualTo("http://conveyor.test/jobs/" + firstJob);
        assertThat(statuses.get(2).targetUrl()).isEqualTo(url);
        assertThat(statuses).allSatisfy(s -> {
            assertThat(s.authorization()).isEqualTo("Bearer test-github-token");
            assertThat(s.context()).isEqualTo("conveyor/preview");
        });
        assertThat(eventTypesAbout("pr-cnx-41"))
                .contains("environment.created", "preview.ready", "environment.destroyed", "preview.torn_down");
    }

    @Test
    void commitStatusesAreRetriedWhenGitHubFailsAndArriveInOrder() {
        int number = 42;
        String sha = GitHub.sha(4201);
        github.failNext(2);
        GitHub.deliver("pull_request", GitHub.pullRequest("opened", number, "feature/retry", sha))
                .then()
                .statusCode(202);
        awaitPreview(number, "ready");
        Wait.until(
                "the success status despite two failed attempts",
                Duration.ofSeconds(60),
                () -> github.forCommit(sha).stream().anyMatch(s -> s.state().equals("success")));
        assertThat(github.forCommit(sha))
                .extracting(RecordingGitHub.Status::state)
                .containsExactly("pending", "pending", "success");

        GitHub.deliver("pull_request", GitHub.pullRequest("closed", number, "feature/retry", sha))
                .then()
                .statusCode(202);
        awaitPreview(number, "torn-down");
    }

    @Test
    void twoDeliveriesOpeningTheSamePullRequestAtOnceMakeOnePreview() throws Exception {
        int number = 43;
        String sha = GitHub.sha(4301);
        String opened = GitHub.pullRequest("opened", number, "feature/twice", sha);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        var first = pool.submit(
                () -> GitHub.deliver("pull_request", "twice-1", opened).statusCode());
        String reopened = GitHub.pullRequest("reopened", number, "feature/twice", sha);
        var second = pool.submit(
                () -> GitHub.deliver("pull_request", "twice-2", reopened).statusCode());
        assertThat(List.of(first.get(), second.get())).containsOnly(202);
        pool.shutdown();

        String list = Api.asAdmin()
                .get("/api/previews")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(JsonPath.from(list).getList("findAll { it.number == " + number + " }"))
                .hasSize(1);
        awaitPreview(number, "ready");
        GitHub.deliver("pull_request", GitHub.pullRequest("closed", number, "feature/twice", sha))
                .then()
                .statusCode(202);
        awaitPreview(number, "torn-down");
    }

    private static List<Object> jobsOf(String environment) {
        return Api.asAdmin()
                .get("/api/environments/" + environment + "/jobs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id");
    }

    private static long releaseCount() {
        return Api.asAdmin()
                .get("/api/releases?limit=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id")
                .size();
    }

    private static List<String> eventTypesAbout(String environment) {
        return QuarkusTransaction.requiringNew()
                .call(() -> StoredEvent.<StoredEvent>list("environment = ?1 order by seq", environment).stream()
                        .map(e -> e.type)
                        .toList());
    }

    static JsonPath awaitPreview(int number, String status) {
        return Wait.until("preview " + number + " to be " + status, DEPLOY, () -> {
            JsonPath p = preview(number);
            if (p != null && p.getString("status").equals("failed") && !status.equals("failed")) {
                // A failed preview never becomes ready: say why now, with its job's log, instead of timing out.
                String log = p.get("job") == null
                        ? "(no job)"
                        : Api.asAdmin()
                                .get("/api/jobs/" + p.getLong("job") + "/log.txt")
                                .then()
                                .extract()
                                .asString();
                throw new AssertionError("preview " + number + " failed: " + p.prettify() + "\n" + log);
            }
            return p != null && p.getString("status").equals(status) ? p : null;
        });
    }

    /** The newest preview of the pull request, as {@code GET /api/previews} shows it. */
    static JsonPath preview(int number) {
        String list = Api.asAdmin()
                .get("/api/previews")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<Map<String, Object>> found = JsonPath.from(list).getList("findAll { it.number == " + number + " }");
        if (found.isEmpty()) {
            return null;
        }
        return JsonPath.from(new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(found.get(0))
                .toString());
    }
}
