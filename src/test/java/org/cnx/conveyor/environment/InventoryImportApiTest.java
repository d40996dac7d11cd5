package org.cnx.conveyor.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.oneOf;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cnx.conveyor.environment.inventory.AnsibleVaultTest;
import org.cnx.conveyor.secret.SecretService;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
class InventoryImportApiTest {

    @Inject
    SecretService secrets;

    private static final String FIXTURE =
            Path.of("src/test/resources/inventories/cnx-prod").toAbsolutePath().toString();

    @AfterEach
    void restoreShippedFiles() {
        TestEnvironments.reset();
    }

    @Test
    void anInventoryBecomesADefinitionFileAndAReleaseOfItsPins() {
        int release = Api.asAdmin()
                .body(Map.of("path", FIXTURE, "name", "cnx-prod", "kind", "production", "stage", "production"))
                .post("/api/environments/import")
                .then()
                .statusCode(201)
                .body("file", equalTo("environments/cnx-prod.yml"))
                .body("warnings", hasItem(containsString("secret")))
                .extract()
                .path("release");

        Api.asAdmin()
                .get("/api/environments/cnx-prod")
                .then()
                .statusCode(200)
                .body("summary.kind", equalTo("production"))
                .body("definition.hosts.name", hasItem("prod00-cnx-org"))
                .body("definition.components.keySet()", hasItem("archive"));
        Api.asAdmin()
                .get("/api/releases/" + release)
                .then()
                .statusCode(200)
                .body("components.archive.version", equalTo("4.15.23"))
                .body("components.webview.version", equalTo("2.3.0"))
                .body("notes", containsString("Imported from the Ansible inventory"));
    }

    @Test
    void importedCredentialsAreStoredAsSecretsAndNoReviewerReadsThemInClear() throws Exception {
        String names = Path.of("src/test/resources/inventories/secret-names")
                .toAbsolutePath()
                .toString();
        Api.asAdmin()
                .body(Map.of("value", "set-by-an-admin"))
                .put("/api/secrets/imported-api-key")
                .then()
                .statusCode(oneOf(200, 201, 204));
        String answer = Api.asAdmin()
                .body(Map.of("path", names, "name", "imported", "kind", "shared", "stage", "dev"))
                .post("/api/environments/import")
                .then()
                .statusCode(201)
                .body("warnings", hasItem("secret imported-api-key exists already and was kept as it is"))
                .body("warnings", hasItem(containsString("secret imported-mail-password has no plain value")))
                .extract()
                .asString();
        assertThat(answer).doesNotContain("value-of");

        String seenByAReviewer = Api.asRole("reviewer")
                .get("/api/environments/imported")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(seenByAReviewer).doesNotContain("value-of").contains("${secret:imported-db-pass}");
        assertThat(Files.readString(TestEnvironments.DIR.resolve("imported.yml")))
                .doesNotContain("value-of");
        assertThat(secrets.reveal("imported-db-pass")).contains("value-of-db-pass");
        assertThat(secrets.reveal("imported-smtp-pw")).contains("value-of-smtp-pw");
        assertThat(secrets.reveal("imported-vault-sentry-dsn")).contains("value-of-vault-sentry-dsn");
        assertThat(secrets.reveal("imported-api-key")).contains("set-by-an-admin");
        assertThat(secrets.exists("imported-mail-password")).isFalse();
    }

    @Test
    void aVaultPasswordDecryptsTheVaultIntoSecretsAndIsNeverAnswered(@TempDir Path dir, @TempDir Path work)
            throws Exception {
        String password = "vault-password-for-the-api";
        Files.writeString(dir.resolve("inventory"), "[web]\nweb1 ansible_host=10.0.0.1\n");
        Path all = Files.createDirectories(dir.resolve("group_vars/all"));
        Files.writeString(all.resolve("vars.yml"), "db_pass: \"{{ vault_db_pass }}\"\n");
        Files.writeString(
                all.resolve("vault.yml"),
                AnsibleVaultTest.encrypt(work, "vault_db_pass: value-of-vaulted-db-pass\n", password, null));

        Api.asAdmin()
                .body(Map.of("path", dir.toString(), "name", "vaulted", "vaultPassword", "wrong"))
                .post("/api/environments/import")
                .then()
                .statusCode(400)
                .body("detail", containsString("group_vars/all/vault.yml: cannot decrypt the vault: wrong vault"));
        String answer = Api.asAdmin()
                .body(Map.of("path", dir.toString(), "name", "vaulted", "vaultPassword", password))
                .post("/api/environments/import")
                .then()
                .statusCode(201)
                .extract()
                .asString();
        assertThat(answer).doesNotContain(password).doesNotContain("value-of");
        assertThat(Files.readString(TestEnvironments.DIR.resolve("vaulted.yml")))
                .doesNotContain("value-of")
                .doesNotContain(password);
        assertThat(secrets.reveal("vaulted-vault-db-pass")).contains("value-of-vaulted-db-pass");
    }

    @Test
    void aMissingDirectoryAndAnExistingFileAreRefusedClearly() {
        Api.asAdmin()
                .body(Map.of("path", "/nonexistent/inventory", "name", "ghost"))
                .post("/api/environments/import")
                .then()
                .statusCode(400)
                .body("detail", containsString("expected an inventory directory"));
        Api.asAdmin()
                .body(Map.of("path", FIXTURE, "name", "demo"))
                .post("/api/environments/import")
                .then()
                .statusCode(409)
                .body("detail", equalTo("environments/demo.yml already exists; remove it or choose another name"));
    }
}
