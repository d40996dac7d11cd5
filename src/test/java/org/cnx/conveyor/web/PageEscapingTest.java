package org.cnx.conveyor.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PageEscapingTest {

    private static final String SCRIPT = "<script>alert('owned')</script>";

    @AfterEach
    void restoreShippedFiles() {
        TestEnvironments.reset();
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
    }

    @Test
    void userTextIsEscapedOnEveryPage() {
        TestEnvironments.write("escaping.yml", """
                name: escaping
                kind: shared
                stage: dev
                description: "%s"
                hosts:
                  - name: local
                    transport: local
                    roles: [web]
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                variables:
                  GREETING: "%s"
                """.formatted(SCRIPT, SCRIPT));
        TestEnvironments.write("broken.yml", "name: broken\nkind: \"" + SCRIPT + "\"\n");
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        int release = Api.asRole("developer")
                .body(Map.of(
                        "notes",
                        SCRIPT,
                        "components",
                        Map.of(
                                "web",
                                Map.of(
                                        "version",
                                        "1.0",
                                        "artifact",
                                        Map.of("url", "https://x/y", "sha256", "a".repeat(64))))))
                .post("/api/releases")
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        String session = Api.loginCookie("admin", Api.ADMIN_PASSWORD);
        for (String path : new String[] {"/", "/environments/escaping", "/releases/" + release}) {
            String page =
                    Api.page(session).get(path).then().statusCode(200).extract().asString();
            assertThat(page).as(path).doesNotContain(SCRIPT).contains("&lt;script&gt;");
        }
    }
}
