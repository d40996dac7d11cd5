package org.cnx.conveyor.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Fleet;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.MigrationStack;
import org.cnx.conveyor.support.MinaSshHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drift detection against hand-made changes, and a database reached only through an SSH tunnel. */
@QuarkusTest
class DriftAndTunnelTest {

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private static Fleet fleet;

    @BeforeEach
    void startHosts() {
        if (fleet == null) {
            fleet = Fleet.start("drift", 1, 0);
        }
    }

    @AfterAll
    static void stopHosts() {
        if (fleet != null) {
            fleet.close();
            fleet = null;
        }
    }

    private static Map<String, String> cnxLike() {
        return MigrationStack.files(
                "V20160104115058__add_api_keys.sql",
                "CREATE TABLE api_keys (id SERIAL PRIMARY KEY, key TEXT NOT NULL, name TEXT NOT NULL, groups TEXT[]);",
                "U20160104115058__add_api_keys.sql",
                "DROP TABLE api_keys;",
                "R__api_key_names.sql",
                "CREATE OR REPLACE VIEW api_key_names AS SELECT name FROM api_keys;");
    }

    private static void deploy(String env, long release) {
        long job = Jobs.deploy(env, release);
        JsonPath detail = Jobs.awaitFinished(job, JOB_TIMEOUT);
        assertThat(detail.getString("job.status")).as(Jobs.rawLog(job)).isEqualTo("succeeded");
    }

    @Test
    void driftReportsAColumnAndAnIndexAddedByHandAndNothingOnACleanDatabase() {
        fleet.defineWithDatabase("drift-env", fleet.hosts(), "  embedded: drift_env\n");
        deploy("drift-env", MigrationStack.release("1.0.0", cnxLike()));

        Api.asAdmin()
                .post("/api/environments/drift-env/drift")
                .then()
                .statusCode(200)
                .body("clean", equalTo(true))
                .body("replayed", equalTo(2))
                .body("error", equalTo(null));

        MigrationStack.execute(
                "drift_env",
                "ALTER TABLE api_keys ADD COLUMN expires TIMESTAMPTZ;"
                        + " CREATE INDEX api_keys_key_idx ON api_keys (key);");
        Api.asAdmin()
                .post("/api/environments/drift-env/drift")
                .then()
                .statusCode(200)
                .body("clean", equalTo(false))
                .body("onlyLive.object", hasItem("column public.api_keys.expires"))
                .body("onlyLive.object", hasItem("index public.api_keys_key_idx"))
                .body("onlyLive.size()", equalTo(2))
                .body("onlyReference", org.hamcrest.Matchers.empty())
                .body("different", org.hamcrest.Matchers.empty());
        Api.asAdmin()
                .get("/api/environments/drift-env/drift/latest")
                .then()
                .statusCode(200)
                .body("clean", equalTo(false));
        Api.asAdmin()
                .get("/api/events?type=migration.drift_detected&environment=drift-env&limit=1000")
                .then()
                .statusCode(200)
                .body("event.data.objects.flatten()", hasItem("column public.api_keys.expires"));
        Api.asRole("reviewer").post("/api/environments/drift-env/drift").then().statusCode(403);
        // GET only reads the stored result: it never runs a replay, so it cannot be triggered by a link or a crawler.
        String checkedAt = Api.asAdmin()
                .get("/api/environments/drift-env/drift/latest")
                .then()
                .extract()
                .path("checkedAt");
        Api.asRole("reviewer")
                .get("/api/environments/drift-env/drift")
                .then()
                .statusCode(200)
                .body("checkedAt", equalTo(checkedAt))
                .body("clean", equalTo(false));
        Api.asAdmin().get("/api/environments/demo/drift").then().statusCode(404);
        String page = Api.page(Api.loginCookie("admin", "test-admin-password"))
                .get("/environments/drift-env/migrations")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page).contains("drift found").contains("column public.api_keys.expires");
    }

    @Test
    void migrationsRunThroughAnSshTunnelWhenTheDatabaseSitsBehindAHost() {
        MinaSshHost via = (MinaSshHost) fleet.host(0);
        MigrationStack.execute("postgres", "CREATE DATABASE tunnelled");
        Api.asAdmin()
                .body(Map.of("value", MigrationStack.serverPassword()))
                .put("/api/secrets/tunnel-db-password")
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(201, 204));
        fleet.defineWithDatabase("drift-tunnel", fleet.hosts(), """
                  via: %s
                  host: 127.0.0.1
                  port: %d
                  name: tunnelled
                  user: %s
                  password: ${secret:tunnel-db-password}
                """.formatted(
                        via.name(), MigrationStack.serverPort(), MigrationStack.serverUser()));

        deploy("drift-tunnel", MigrationStack.release("1.0.0", cnxLike()));

        assertThat(via.forwards()).contains("127.0.0.1:" + MigrationStack.serverPort());
        assertThat(MigrationStack.snapshot("tunnelled").objects()).containsKey("column public.api_keys.groups");
        Api.asAdmin()
                .get("/api/environments/drift-tunnel/migrations")
                .then()
                .statusCode(200)
                .body("database", containsString("through ssh host " + via.name()))
                .body("migrations.find { it.version == '20160104115058' }.state", equalTo("applied"));

        via.stop();
        try {
            Api.asAdmin()
                    .get("/api/environments/drift-tunnel/migrations")
                    .then()
                    .statusCode(200)
                    .body("error", containsString("cannot open a tunnel through " + via.name()));
        } finally {
            via.start();
        }
    }
}
