package org.cnx.conveyor.dora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.cnx.conveyor.dora.DoraFigures.JobRecord;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DORA figures of a seeded history through the JSON API, the page and the Prometheus endpoint. */
@QuarkusTest
class DoraApiTest {

    private static final String ENV = "dora-prod-" + Long.toString(System.nanoTime(), 36);
    private static boolean seeded;

    @Inject
    EntityManager entities;

    @Inject
    DoraMetrics metrics;

    /** The seeded history of {@link DoraFiguresTest}, moved to end a minute ago, in a production environment. */
    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        seeded = true;
        TestEnvironments.writeInstant(ENV, "production", 0);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        Duration shift = Duration.between(DoraFiguresTest.TO, Instant.now().minus(Duration.ofMinutes(1)));
        QuarkusTransaction.requiringNew().run(() -> {
            long environment = ((Number) entities.createNativeQuery(
                                    "SELECT id FROM environments WHERE name = ?1" + " AND destroyed_at IS NULL")
                            .setParameter(1, ENV)
                            .getSingleResult())
                    .longValue();
            Map<Long, Long> releases = new java.util.HashMap<>();
            for (JobRecord job : DoraFiguresTest.HISTORY) {
                long release = releases.computeIfAbsent(
                        job.release(),
                        r -> ((Number) entities.createNativeQuery(
                                                "INSERT INTO releases (created_at, created_by, notes) VALUES (?1, 'ci',"
                                                        + " 'DORA seed') RETURNING id")
                                        .setParameter(1, job.releaseCreatedAt().plus(shift))
                                        .getSingleResult())
                                .longValue());
                entities.createNativeQuery("INSERT INTO jobs (environment_id, type, status, release_id, requested_by,"
                                + " created_at, started_at, finished_at) VALUES (?1, ?2, ?3, ?4, 'ci', ?5, ?5, ?6)")
                        .setParameter(1, environment)
                        .setParameter(2, job.type())
                        .setParameter(3, job.status())
                        .setParameter(4, release)
                        .setParameter(5, job.startedAt().plus(shift))
                        .setParameter(6, job.finishedAt().plus(shift))
                        .executeUpdate();
            }
        });
    }

    @Test
    void theJsonApiGivesTheFiguresOfEachEnvironment() {
        JsonPath report = Api.asRole("reviewer")
                .get("/api/dora?days=10")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String mine = "environments.find { it.name == '" + ENV + "' }.";

        assertThat(report.getInt(mine + "deployments")).isEqualTo(7);
        assertThat(report.getDouble(mine + "deploymentsPerDay")).isEqualTo(0.4);
        assertThat(report.getLong(mine + "leadTimeMedianSeconds")).isEqualTo(52_200);
        assertThat(report.getDouble(mine + "changeFailureRate")).isEqualTo(0.571);
        assertThat(report.getLong(mine + "timeToRestoreMedianSeconds")).isEqualTo(2_400);
        assertThat(report.getList("stages.name")).contains("production");
        Api.asRole("reviewer").get("/api/dora?days=0").then().statusCode(400);
    }

    @Test
    void theLeadTimeRunsFromTheCommitWhenTheReleaseSaysWhenItWasMade() {
        String env = "dora-commit-" + Long.toString(System.nanoTime(), 36);
        TestEnvironments.writeInstant(env, "production", 0);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        Instant live = Instant.now().minus(Duration.ofMinutes(1));
        QuarkusTransaction.requiringNew().run(() -> {
            long release = ((Number) entities.createNativeQuery("INSERT INTO releases (created_at, created_by,"
                                    + " source_commit, source_committed_at) VALUES (?1, 'ci', '0123abcd', ?2)"
                                    + " RETURNING id")
                            .setParameter(1, live.minus(Duration.ofHours(1)))
                            .setParameter(2, live.minus(Duration.ofHours(5)))
                            .getSingleResult())
                    .longValue();
            entities.createNativeQuery("INSERT INTO jobs (environment_id, type, status, release_id, requested_by,"
                            + " created_at, started_at, finished_at) SELECT id, 'deploy', 'succeeded', ?2, 'ci', ?3,"
                            + " ?3, ?4 FROM environments WHERE name = ?1 AND destroyed_at IS NULL")
                    .setParameter(1, env)
                    .setParameter(2, release)
                    .setParameter(3, live.minus(Duration.ofMinutes(2)))
                    .setParameter(4, live)
                    .executeUpdate();
        });

        JsonPath report = Api.asRole("reviewer")
                .get("/api/dora?days=1")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(report.getLong("environments.find { it.name == '" + env + "' }.leadTimeMedianSeconds"))
                .as("from the commit five hours before it went live, not from the release an hour before")
                .isEqualTo(5 * 3600);
    }

    @Test
    void thePageDrawsItsChartsOnTheServer() {
        String page = Api.page(Api.loginCookie("admin", Api.ADMIN_PASSWORD))
                .get("/dora?days=10")
                .then()
                .statusCode(200)
                .extract()
                .asString();

        // The charts are drawn on the server: the page's own content carries no script (the shared layout's
        // scripts only add live counts to the navigation).
        String main = page.substring(page.indexOf("<main"), page.indexOf("</main>"));
        assertThat(main)
                .contains(ENV)
                .contains("57 %")
                .contains("14 h")
                .contains("<svg")
                .doesNotContain("<script");
        assertThat(page).contains("aria-label=\"environment " + ENV + ": 7 deploys over");
    }

    @Test
    void prometheusScrapesTheFiguresOfEachStage() {
        metrics.refresh();

        String scraped = Api.asAdmin()
                .accept("text/plain")
                .get("/q/metrics")
                .then()
                .extract()
                .asString();
        System.out.println(scraped.lines().filter(l -> l.contains("dora")).toList());
        Api.asAdmin()
                .accept("text/plain")
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("conveyor_dora_deployments_per_day{stage=\"production\""))
                .body(containsString("conveyor_dora_change_failure_rate{stage=\"production\""))
                .body(containsString("conveyor_dora_lead_time_seconds{stage=\"production\""))
                .body(containsString("conveyor_dora_time_to_restore_seconds{stage=\"production\""));
    }
}
