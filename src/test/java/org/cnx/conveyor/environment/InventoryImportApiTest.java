package org.cnx.conveyor.environment;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InventoryImportApiTest {

    private static final String FIXTURE = Path.of("src/test/resources/inventories/cnx-prod").toAbsolutePath().toString();

    @AfterEach
    void restoreShippedFiles() {
        TestEnvironments.reset();
    }

    @Test
    void anInventoryBecomesADefinitionFileAndAReleaseOfItsPins() {
        int release = Api.asAdmin().body(Map.of("path", FIXTURE, "name", "cnx-prod", "kind", "production", "stage", "production"))
                .post("/api/environments/import").then().statusCode(201)
                .body("file", equalTo("environments/cnx-prod.yml"))
                .body("warnings", hasItem(containsString("secret")))
                .extract().path("release");

        Api.asAdmin().get("/api/environments/cnx-prod").then().statusCode(200)
                .body("summary.kind", equalTo("production"))
                .body("definition.hosts.name", hasItem("prod00-cnx-org"))
                .body("definition.components.keySet()", hasItem("archive"));
        Api.asAdmin().get("/api/releases/" + release).then().statusCode(200)
                .body("components.archive.version", equalTo("4.15.23"))
                .body("components.webview.version", equalTo("2.3.0"))
                .body("notes", containsString("Imported from the Ansible inventory"));
    }

    @Test
    void aMissingDirectoryAndAnExistingFileAreRefusedClearly() {
        Api.asAdmin().body(Map.of("path", "/nonexistent/inventory", "name", "ghost"))
                .post("/api/environments/import").then().statusCode(400)
                .body("detail", containsString("expected an inventory directory"));
        Api.asAdmin().body(Map.of("path", FIXTURE, "name", "demo"))
                .post("/api/environments/import").then().statusCode(409)
                .body("detail", equalTo("environments/demo.yml already exists; remove it or choose another name"));
    }
}
