package org.cnx.conveyor.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.restassured.http.ContentType;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.cnx.conveyor.support.ConveyorProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged Conveyor, started as README command (a) starts it ({@code bin/conveyor-server}): embedded database,
 * generated admin and database passwords, the class archive the first start leaves for the next, restarts, and a data
 * directory of the older release that trusted every local connection.
 */
class FirstStartAndRestartIT {

    @TempDir
    Path tmp;

    @Test
    void aFreshStartCreatesAnAdminAndKeepsDataAcrossRestartsAndKills() throws Exception {
        Path dataDir = tmp.resolve("data");
        Path cds = tmp.resolve("cds");
        int release;
        String password;
        try (ConveyorProcess conveyor =
                ConveyorProcess.viaServerScript(dataDir, cds).start()) {
            Path passwordFile = dataDir.resolve("initial-admin-password");
            assertThat(Files.getPosixFilePermissions(passwordFile))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            password = Files.readString(passwordFile).trim();
            assertThat(Files.getPosixFilePermissions(dataDir.resolve("postgres-password")))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            assertThat(conveyor.readLog()).contains("Created user \"admin\" with password " + password);

            given().baseUri(conveyor.baseUrl())
                    .auth()
                    .preemptive()
                    .basic("admin", password)
                    .accept(ContentType.JSON)
                    .get("/api/environments")
                    .then()
                    .statusCode(200)
                    .body("name", hasItem("demo"));
            release = given().baseUri(conveyor.baseUrl())
                    .auth()
                    .preemptive()
                    .basic("admin", password)
                    .contentType(ContentType.JSON)
                    .accept(ContentType.JSON)
                    .body(Map.of(
                            "notes",
                            "survives restarts",
                            "components",
                            Map.of("archive", Map.of("version", "4.15.23"))))
                    .post("/api/releases")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            conveyor.stop();
            // The embedded database outlives the server's own shutdown: no task fails on a database going away.
            assertThat(conveyor.readLog().lines()).noneMatch(l -> l.matches("\\S+ ERROR .*"));
            assertThat(dataDir.resolve("pg/postmaster.pid")).doesNotExist();
        }
        try (Stream<Path> archives = Files.list(cds)) {
            assertThat(archives.map(p -> p.getFileName().toString()))
                    .as("the first start's class archive, written when it stopped")
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .matches("conveyor-[0-9]+\\.jsa");
        }

        try (ConveyorProcess conveyor =
                ConveyorProcess.viaServerScript(dataDir, cds).start()) {
            assertThat(conveyor.jvmArguments()).anyMatch(a -> a.startsWith("-XX:SharedArchiveFile=" + cds));
            assertThat(conveyor.readLog()).doesNotContain("Created user \"admin\"");
            given().baseUri(conveyor.baseUrl())
                    .auth()
                    .preemptive()
                    .basic("admin", password)
                    .accept(ContentType.JSON)
                    .get("/api/releases/" + release)
                    .then()
                    .statusCode(200)
                    .body("notes", equalTo("survives restarts"));
            conveyor.kill();
        }

        // After SIGKILL the embedded PostgreSQL is orphaned; the next start must take the data over.
        try (ConveyorProcess conveyor = new ConveyorProcess(dataDir, Map.of()).start()) {
            given().baseUri(conveyor.baseUrl())
                    .auth()
                    .preemptive()
                    .basic("admin", password)
                    .accept(ContentType.JSON)
                    .get("/api/releases/" + release)
                    .then()
                    .statusCode(200)
                    .body("notes", equalTo("survives restarts"));
        }
    }

    @Test
    void aDataDirectoryOfTheTrustingOlderReleaseIsUpgradedOnStartAndNoLongerLetsAnyoneInAsPostgres() throws Exception {
        Path dataDir = tmp.resolve("older");
        // The older release's start: initdb with trust, and postgres/postgres for Conveyor.
        try (EmbeddedPostgres older = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir.resolve("pg"))
                        .setCleanDataDirectory(false)
                        .setPort(0)
                        .start();
                Connection c =
                        DriverManager.getConnection(older.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE conveyor_demo");
        }

        try (ConveyorProcess conveyor =
                new ConveyorProcess(dataDir, Map.of("CONVEYOR_ADMIN_PASSWORD", "upgrade-password")).start()) {
            given().baseUri(conveyor.baseUrl())
                    .auth()
                    .preemptive()
                    .basic("admin", "upgrade-password")
                    .accept(ContentType.JSON)
                    .get("/api/environments")
                    .then()
                    .statusCode(200)
                    .body("name", hasItem("demo"));
            assertThat(Files.readString(dataDir.resolve("pg/pg_hba.conf"))
                            .lines()
                            .filter(l -> !l.startsWith("#")))
                    .noneMatch(l -> l.contains("trust"));
            String port = Files.readAllLines(dataDir.resolve("pg/postmaster.pid"))
                    .get(3)
                    .trim();
            PasswordlessLogin.assertRefused(port);
            String superuserPassword =
                    Files.readString(dataDir.resolve("postgres-password")).trim();
            try (Connection c = DriverManager.getConnection(
                            "jdbc:postgresql://localhost:" + port + "/postgres", "postgres", superuserPassword);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = 'conveyor_demo'")) {
                rs.next();
                assertThat(rs.getInt(1))
                        .as("the older release's databases are still there")
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void theAdminPasswordCanBeGivenAndNothingIsWrittenThen() throws Exception {
        Path dataDir = tmp.resolve("given");
        try (ConveyorProcess conveyor =
                new ConveyorProcess(dataDir, Map.of("CONVEYOR_ADMIN_PASSWORD", "a-given-password")).start()) {
            assertThat(dataDir.resolve("initial-admin-password")).doesNotExist();
            given().baseUri(conveyor.baseUrl())
                    .auth()
                    .preemptive()
                    .basic("admin", "a-given-password")
                    .accept(ContentType.JSON)
                    .get("/api/users")
                    .then()
                    .statusCode(200)
                    .body("username", hasItem("admin"));
        }
    }
}
