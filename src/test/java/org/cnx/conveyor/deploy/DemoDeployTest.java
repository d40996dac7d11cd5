package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.MigrationStack;
import org.cnx.conveyor.support.SampleStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** README's promise: the demo environment deploys the sample stack on this machine, and its link opens the site. */
@QuarkusTest
class DemoDeployTest {

    private static final Path DEMO_ROOT =
            Path.of("target", "test-data", "hosts", "demo").toAbsolutePath();

    @AfterAll
    static void stopTheSampleStack() {
        SampleStack.stopAll(DEMO_ROOT);
    }

    @Test
    void theDemoReleaseDeploysAndItsLinkShowsTheRunningSite() throws Exception {
        // The newest of the sample stack's releases: the whole stack.
        long release = Api.conveyorReleases().stream().max(Long::compare).orElseThrow();
        long job = Jobs.deploy("demo", release);
        JsonPath detail = Jobs.awaitFinished(job, Duration.ofMinutes(2));
        assertThat(detail.getString("job.status")).as(Jobs.rawLog(job)).isEqualTo("succeeded");

        assertThat(Files.readSymbolicLink(DEMO_ROOT.resolve("webview/current")).toString())
                .isEqualTo("releases/" + release);
        String page = get("http://localhost:18080/");
        assertThat(page).contains("Release " + release).contains("College Physics");
        Api.asAdmin()
                .get("/api/environments/demo")
                .then()
                .statusCode(200)
                .body("summary.currentRelease", org.hamcrest.Matchers.equalTo((int) release));
        Api.asAdmin()
                .get("/api/environments/demo/history")
                .then()
                .statusCode(200)
                .body("[0].release", org.hamcrest.Matchers.equalTo((int) release));
        assertThat(Jobs.rawLog(job)).contains("committed: demo now runs release " + release);
    }

    @Test
    void theDemoShowsMigrationsRunTheStatusFillAndARollbackUndoThem() {
        java.util.List<Long> demo = Api.conveyorReleases();
        long previous = demo.stream().min(Long::compare).orElseThrow();
        long full = demo.stream().max(Long::compare).orElseThrow();
        assertThat(previous).isLessThan(full);

        assertSucceeded(Jobs.deploy("demo", previous));
        Api.asAdmin()
                .get("/api/environments/demo/migrations")
                .then()
                .statusCode(200)
                .body("database", org.hamcrest.Matchers.containsString("conveyor_demo"))
                .body(
                        "migrations.findAll { it.state == 'applied' }.script",
                        org.hamcrest.Matchers.hasItems(
                                "V20160104115058__add_api_keys.sql",
                                "V20160323141023__add_modules.sql",
                                "R__latest_modules_view.sql"));

        long upgrade = Jobs.deploy("demo", full);
        assertSucceeded(upgrade);
        assertThat(Jobs.rawLog(upgrade))
                .contains("apply V20170802120000 add module authors")
                .contains("+ column public.modules.authors");
        assertThat(MigrationStack.snapshot("conveyor_demo").objects()).containsKey("column public.modules.authors");
        long deferred = Jobs.deferredMigrateAfter("demo", upgrade, Duration.ofMinutes(1));
        assertSucceeded(deferred);

        long rollback = Jobs.rollback("demo");
        assertSucceeded(rollback);
        // The release rolled back to is still prepared (the journal says so): the rollback is a switch, no prepare.
        assertThat(Jobs.rawLog(rollback)).contains("rollback as a switch");
        assertThat(Api.asAdmin()
                        .get("/api/jobs/" + rollback)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("steps.phase", String.class))
                .contains("switch")
                .doesNotContain("prepare");
        assertThat(Jobs.rawLog(rollback)).contains("undo V20170802120000 add module authors");
        assertThat(MigrationStack.snapshot("conveyor_demo").objects())
                .doesNotContainKey("column public.modules.authors")
                .containsKey("table public.modules");
        assertThat(Jobs.rawLog(rollback))
                .contains("deferred migration V20170802120100 ran after V20170802120000 add module authors, which was"
                        + " just undone: it is no longer recorded as applied");

        // The README's sequence goes on: deploying the newer release again brings the column back, and the backfill
        // that filled it runs again instead of staying recorded over an empty column.
        long upgradeAgain = Jobs.deploy("demo", full);
        assertSucceeded(upgradeAgain);
        long again = Jobs.deferredMigrateAfter("demo", upgradeAgain, Duration.ofMinutes(1));
        assertSucceeded(again);
        try (java.sql.Connection c = MigrationStack.connect("conveyor_demo");
                java.sql.ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*), count(*) FILTER (WHERE authors = ARRAY['OpenStax'])"
                                + " FROM modules")) {
            rs.next();
            assertThat(rs.getInt(1)).isPositive();
            assertThat(rs.getInt(2)).as("every module backfilled").isEqualTo(rs.getInt(1));
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        Api.asAdmin()
                .get("/api/environments/demo/migrations")
                .then()
                .statusCode(200)
                .body(
                        "recent.findAll { it.action == 'forgotten' }.version",
                        org.hamcrest.Matchers.hasItem("20170802120100"));
    }

    private static void assertSucceeded(long job) {
        JsonPath detail = Jobs.awaitFinished(job, Duration.ofMinutes(2));
        assertThat(detail.getString("job.status")).as(Jobs.rawLog(job)).isEqualTo("succeeded");
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
