package org.cnx.conveyor.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import org.cnx.conveyor.support.ConveyorProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged Conveyor, started as README command (a) starts it: embedded database, generated admin password, restarts. */
class FirstStartAndRestartIT {

    @TempDir
    Path tmp;

    @Test
    void aFreshStartCreatesAnAdminAndKeepsDataAcrossRestartsAndKills() throws Exception {
        Path dataDir = tmp.resolve("data");
        int release;
        String password;
        try (ConveyorProcess conveyor = new ConveyorProcess(dataDir, Map.of()).start()) {
            Path passwordFile = dataDir.resolve("initial-admin-password");
            assertThat(Files.getPosixFilePermissions(passwordFile))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            password = Files.readString(passwordFile).trim();
            assertThat(conveyor.readLog()).contains("Created user \"admin\" with password " + password);

            given().baseUri(conveyor.baseUrl()).auth().preemptive().basic("admin", password).accept(ContentType.JSON)
                    .get("/api/environments").then().statusCode(200).body("name", hasItem("demo"));
            release = given().baseUri(conveyor.baseUrl()).auth().preemptive().basic("admin", password)
                    .contentType(ContentType.JSON).accept(ContentType.JSON)
                    .body(Map.of("notes", "survives restarts", "components",
                            Map.of("archive", Map.of("version", "4.15.23"))))
                    .post("/api/releases").then().statusCode(201).extract().path("id");
            conveyor.stop();
        }

        try (ConveyorProcess conveyor = new ConveyorProcess(dataDir, Map.of()).start()) {
            assertThat(conveyor.readLog()).doesNotContain("Created user \"admin\"");
            given().baseUri(conveyor.baseUrl()).auth().preemptive().basic("admin", password).accept(ContentType.JSON)
                    .get("/api/releases/" + release).then().statusCode(200).body("notes", equalTo("survives restarts"));
            conveyor.kill();
        }

        // After SIGKILL the embedded PostgreSQL is orphaned; the next start must take the data over.
        try (ConveyorProcess conveyor = new ConveyorProcess(dataDir, Map.of()).start()) {
            given().baseUri(conveyor.baseUrl()).auth().preemptive().basic("admin", password).accept(ContentType.JSON)
                    .get("/api/releases/" + release).then().statusCode(200).body("notes", equalTo("survives restarts"));
        }
    }

    @Test
    void theAdminPasswordCanBeGivenAndNothingIsWrittenThen() throws Exception {
        Path dataDir = tmp.resolve("given");
        try (ConveyorProcess conveyor = new ConveyorProcess(dataDir, Map.of("CONVEYOR_ADMIN_PASSWORD", "a-given-password")).start()) {
            assertThat(dataDir.resolve("initial-admin-password")).doesNotExist();
            given().baseUri(conveyor.baseUrl()).auth().preemptive().basic("admin", "a-given-password").accept(ContentType.JSON)
                    .get("/api/users").then().statusCode(200).body("username", hasItem("admin"));
        }
    }
}
