package org.cnx.conveyor.auth;

import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PasswordPolicyTest {

    @Test
    void theApiRefusesPasswordsThatBreakARuleAndNamesTheRule() {
        refused("policy-a", "short", "password: expected at least 10 characters");
        refused("policy-a", "x".repeat(1025), "password: expected at most 1024 characters");
        refused("policy-a", "my-Policy-A-password", "password: must not contain the user name");
        refused("policy-a", "Password123", "password: too common");
        refused("policy-a", "zzzzzzzzzzzz", "password: too common");
        Api.asAdmin()
                .body(Map.of("username", "policy-a", "password", "x".repeat(1000) + "y", "roles", List.of("reviewer")))
                .post("/api/users")
                .then()
                .statusCode(201);
    }

    @Test
    void aPasswordChangeFollowsTheSameRules() {
        Api.ensureUser("policy-b", "reviewer");
        Api.asAdmin()
                .body(Map.of("password", "policy-b-2026!"))
                .put("/api/users/policy-b")
                .then()
                .statusCode(400)
                .body("detail", containsString("must not contain the user name"));
        Api.asAdmin()
                .body(Map.of("password", "a-long-and-unusual-one"))
                .put("/api/users/policy-b")
                .then()
                .statusCode(200);
    }

    @Test
    void theUsersPageShowsTheBrokenRule() {
        String session = Api.loginCookie("admin", Api.ADMIN_PASSWORD);
        Api.formPost(session)
                .formParam("username", "policy-c")
                .formParam("password", "qwertyuiop")
                .formParam("roles", "reviewer")
                .post("/users")
                .then()
                .statusCode(400)
                .body(containsString("password: too common"));
    }

    private static void refused(String username, String password, String rule) {
        Api.asAdmin()
                .body(Map.of("username", username, "password", password, "roles", List.of("reviewer")))
                .post("/api/users")
                .then()
                .statusCode(400)
                .body("detail", containsString(rule));
    }
}
