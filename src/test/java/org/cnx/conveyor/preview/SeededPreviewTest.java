package org.cnx.conveyor.preview;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.MigrationStack;
import org.cnx.conveyor.support.SampleStack;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A preview made by a real pull-request delivery is seeded from the newest scrubbed snapshot its template names: the
 * preview of pull request 61 is the source (with an API key in it), the preview of 62 starts from its snapshot.
 */
@QuarkusTest
class SeededPreviewTest {

    private static final Path HOSTS = Path.of("target", "test-data", "hosts").toAbsolutePath();
    private static final Path TEMPLATE = Path.of("templates", "preview.yml");
    private static String shipped;
    private static RecordingGitHub github;

    @BeforeAll
    static void startGitHub() {
        github = new RecordingGitHub();
    }

    private static void seedPreviewsFromThePreviewOfPullRequest61() throws Exception {
        shipped = Files.readString(Path.of("environments").resolve(TEMPLATE));
        TestEnvironments.write(
                TEMPLATE.toString(),
                shipped.replace("  # seed: staging\n", "  seed: pr-cnx-61\n")
                        .replace(
                                "components:\n",
                                "snapshots:\n  keep: 1\n  scrub: [\"DELETE FROM api_keys\"]\ncomponents:\n"));
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
    }

    @AfterAll
    static void restoreTheTemplate() {
        github.close();
        SampleStack.stopAll(HOSTS.resolve("pr-cnx-61"));
        SampleStack.stopAll(HOSTS.resolve("pr-cnx-62"));
    }

    @Test
    void aPreviewOpenedByAPullRequestIsSeededFromTheScrubbedSnapshotItsTemplateNames() throws Exception {
        seedPreviewsFromThePreviewOfPullRequest61();
        try {
            openTwoPreviews();
        } finally {
            TestEnvironments.write(TEMPLATE.toString(), shipped);
            Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        }
    }

    private static void openTwoPreviews() throws Exception {
        GitHub.deliver("pull_request", GitHub.pullRequest("opened", 61, "feature/source", GitHub.sha(6101)))
                .then()
                .statusCode(202);
        PreviewLifecycleTest.awaitPreview(61, "ready");
        MigrationStack.execute(
                "conveyor_pr_cnx_61",
                "INSERT INTO api_keys (key, name) VALUES ('sk-live-secret', 'tutor');"
                        + " UPDATE modules SET title = 'Seeded title' WHERE module_ident = 1");
        long snapshot = Api.asAdmin()
                .post("/api/environments/pr-cnx-61/snapshots")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
        JsonPath taken = Jobs.awaitFinished(snapshot, Duration.ofMinutes(2));
        assertThat(taken.getString("job.status"))
                .as(() -> Jobs.rawLog(snapshot))
                .isEqualTo("succeeded");

        GitHub.deliver("pull_request", GitHub.pullRequest("opened", 62, "feature/seeded", GitHub.sha(6201)))
                .then()
                .statusCode(202);
        JsonPath ready = PreviewLifecycleTest.awaitPreview(62, "ready");
        assertThat(Jobs.rawLog(ready.getLong("job")))
                .as("the preview's deploy job shows the seeding and what the snapshot lacked")
                .contains("seeding conveyor_pr_cnx_62 from snapshot #", "seeded conveyor_pr_cnx_62 from snapshot #");
        assertThat(MigrationStack.column("conveyor_pr_cnx_62", "SELECT title FROM modules WHERE module_ident = 1"))
                .containsExactly("Seeded title");
        assertThat(MigrationStack.column("conveyor_pr_cnx_62", "SELECT count(*) FROM api_keys"))
                .as("the API key was scrubbed")
                .containsExactly("0");
        assertThat(MigrationStack.column(
                        "conveyor_pr_cnx_61", "SELECT count(*) FROM api_keys WHERE key = 'sk-live-secret'"))
                .as("the source is unchanged")
                .containsExactly("1");

        for (int number : new int[] {61, 62}) {
            GitHub.deliver("pull_request", GitHub.pullRequest("closed", number, "x", GitHub.sha(number * 100 + 1)))
                    .then()
                    .statusCode(202);
            PreviewLifecycleTest.awaitPreview(number, "torn-down");
        }
    }
}
