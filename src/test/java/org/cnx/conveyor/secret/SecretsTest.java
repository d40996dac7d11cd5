package org.cnx.conveyor.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SecretsTest {

    private static final String VALUE = "s3cr3t-Value-that-must-never-leak";

    @Inject
    SecretService secrets;

    @Inject
    EntityManager em;

    @Test
    void aSecretValueNeverComesBackFromTheApiOrAnyPage() {
        Api.asAdmin()
                .body(Map.of("value", VALUE))
                .put("/api/secrets/staging-db-password")
                .then()
                .statusCode(201);
        Api.asAdmin()
                .body(Map.of("value", VALUE))
                .put("/api/secrets/staging-db-password")
                .then()
                .statusCode(204);

        String list = Api.asAdmin()
                .get("/api/secrets")
                .then()
                .statusCode(200)
                .body("name", org.hamcrest.Matchers.hasItem("staging-db-password"))
                .extract()
                .asString();
        assertThat(list).doesNotContain(VALUE);
        Api.asAdmin().get("/api/secrets/staging-db-password").then().statusCode(405);

        String session = Api.loginCookie("admin", Api.ADMIN_PASSWORD);
        for (String path : List.of("/secrets", "/", "/environments/demo", "/users", "/tokens", "/releases")) {
            String page =
                    Api.page(session).get(path).then().statusCode(200).extract().asString();
            assertThat(page).as(path).doesNotContain(VALUE);
        }
        assertThat(secrets.reveal("staging-db-password")).contains(VALUE);
    }

    @Test
    @Transactional
    void valuesAreEncryptedAtRest() {
        secrets.put("at-rest", VALUE, "test");
        byte[] stored = (byte[]) em.createNativeQuery("SELECT ciphertext FROM secrets WHERE name = 'at-rest'")
                .getSingleResult();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1))
                .doesNotContain(VALUE)
                .doesNotContain("s3cr3t");
        assertThat(secrets.reveal("at-rest")).contains(VALUE);
    }

    @Test
    void onlyAdminsManageSecretsAndNamesAreChecked() {
        Api.asRole("lead")
                .body(Map.of("value", "x"))
                .put("/api/secrets/x")
                .then()
                .statusCode(403);
        Api.asRole("lead").get("/api/secrets").then().statusCode(403);
        Api.asAdmin()
                .body(Map.of("value", "x"))
                .put("/api/secrets/Bad Name")
                .then()
                .statusCode(400)
                .body(
                        "detail",
                        equalTo(
                                "name: expected 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"));
        Api.asAdmin().delete("/api/secrets/never-set").then().statusCode(404);
    }
}
