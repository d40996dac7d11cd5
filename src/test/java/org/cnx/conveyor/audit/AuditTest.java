package org.cnx.conveyor.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.Test;

/** Every change leaves an entry naming who, from where and what; nobody can change the entries. */
@QuarkusTest
class AuditTest {

    @Inject
    EntityManager database;

    private static JsonPath entries(String... query) {
        var request = Api.asAdmin();
        for (int i = 0; i < query.length; i += 2) {
            request = request.queryParam(query[i], query[i + 1]);
        }
        return request.get("/api/audit").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void syncsReleasesDeploysAndSecretChangesAreRecordedWithWhoAndFromWhere() {
        Api.ensureUser("audit-dev", "developer");
        TestEnvironments.writeInstant("audited", "dev", 0);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        long release = Api.as("audit-dev", Api.USER_PASSWORD)
                .body(Map.of("components", Map.of("app", Map.of("version", "7.1"))))
                .post("/api/releases")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        long job = Api.as("audit-dev", Api.USER_PASSWORD)
                .body(Map.of("release", release))
                .post("/api/environments/audited/deployments")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getLong("id");
        Jobs.awaitFinished(job, java.time.Duration.ofMinutes(1));
        Api.asAdmin()
                .body(Map.of("value", "audit-secret-value-31337"))
                .put("/api/secrets/audit-secret")
                .then()
                .statusCode(201);
        Api.asAdmin().delete("/api/secrets/audit-secret").then().statusCode(204);

        JsonPath sync = entries("action", "definitions.synced", "actor", "admin", "limit", "1");
        assertThat(sync.getString("[0].subject")).isEqualTo("environments");
        assertThat(sync.getString("[0].address")).isEqualTo("127.0.0.1");

        JsonPath created = entries("subject", "releases/" + release);
        assertThat(created.getString("[0].action")).isEqualTo("release.created");
        assertThat(created.getString("[0].actor")).isEqualTo("audit-dev");
        assertThat(created.getString("[0].detail")).contains("app 7.1");

        JsonPath deploy = entries("subject", "environments/audited", "action", "deploy.");
        assertThat(deploy.getString("[0].actor")).isEqualTo("audit-dev");
        assertThat(deploy.getString("[0].detail")).contains("job #" + job).contains("release " + release);

        JsonPath secret = entries("subject", "secrets/audit-secret");
        assertThat(secret.getList("action", String.class)).containsExactly("secret.deleted", "secret.created");
        assertThat(secret.prettify()).doesNotContain("audit-secret-value-31337");
    }

    @Test
    void theLogFiltersByDateAndPagesBackThroughOlderEntries() {
        for (int i = 0; i < 3; i++) {
            Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        }
        List<Long> newest =
                entries("action", "definitions.synced", "limit", "2").getList("id", Long.class);
        assertThat(newest).hasSize(2);
        List<Long> older = entries(
                        "action", "definitions.synced", "limit", "2", "before", String.valueOf(newest.get(1)))
                .getList("id", Long.class);
        assertThat(older).isNotEmpty().allMatch(id -> id < newest.get(1));

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertThat(entries("since", today, "action", "definitions.synced").getList("id"))
                .isNotEmpty();
        assertThat(entries("until", "2000-01-01").getList("id")).isEmpty();
        Api.asAdmin()
                .queryParam("since", "yesterday")
                .get("/api/audit")
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("since: expected a date"));

        String page = Api.page(Api.loginCookie("admin", Api.ADMIN_PASSWORD))
                .queryParam("action", "definitions.synced")
                .get("/audit")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page).contains("definitions.synced").contains("Audit log");
        String paged = Api.page(Api.loginCookie("admin", Api.ADMIN_PASSWORD))
                .queryParam("subject", "environments")
                .queryParam("limit", "1")
                .get("/audit")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(paged).containsPattern("href=\"/audit\\?before=\\d+&amp;subject=environments\"");
    }

    @Test
    void thereIsNoWayToChangeOrDeleteAnEntry() {
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        long id = entries("limit", "1").getLong("[0].id");
        Api.asAdmin()
                .body(Map.of("actor", "nobody"))
                .put("/api/audit/" + id)
                .then()
                .statusCode(404);
        Api.asAdmin().delete("/api/audit/" + id).then().statusCode(404);
        Api.asAdmin().delete("/api/audit").then().statusCode(405);
        Api.asAdmin().body("{}").post("/api/audit").then().statusCode(405);

        // Not even SQL through Conveyor's own connection may rewrite history.
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> QuarkusTransaction.requiringNew()
                .run(() -> database.createNativeQuery("UPDATE audit_log SET actor = 'nobody' WHERE id = " + id)
                        .executeUpdate()));
        assertThat(refused).isNotNull();
        assertThat(entries("limit", "1", "before", String.valueOf(id + 1)).getString("[0].actor"))
                .isNotEqualTo("nobody");

        Api.ensureUser("audit-lead", "lead");
        Api.as("audit-lead", Api.USER_PASSWORD).get("/api/audit").then().statusCode(403);
    }
}
