package org.cnx.conveyor.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.support.Api;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LoginThrottlingTest {

    private static final String LOCKED = "Too many failed logins for this account or address; try again in 15 minutes.";

    @Inject
    LoginThrottle throttle;

    @Inject
    AuditLog audit;

    @AfterEach
    void forgetFailures() {
        // The tests share 127.0.0.1 with every other test of this run; leave its count as found.
        throttle.clear();
    }

    @Test
    void repeatedBadLoginsOnTheFormAreThrottledAndTheRightPasswordIsRefusedDuringTheLockOut() {
        Api.ensureUser("form-guessed", "developer");
        for (int i = 0; i < 4; i++) {
            formLogin("form-guessed", "wrong-password-" + i).then().statusCode(401);
        }
        formLogin("form-guessed", "wrong-password-4")
                .then()
                .statusCode(429)
                .header("Retry-After", "900")
                .body(containsString(LOCKED));
        formLogin("form-guessed", Api.USER_PASSWORD)
                .then()
                .statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("\\d+"))
                .body(containsString("Too many failed logins"));

        List<String> actions = audit.about("users/form-guessed", 20).stream()
                .map(e -> e.action)
                .toList();
        assertThat(actions).contains("login.failed", "login.throttled").doesNotContain("login.succeeded");
    }

    @Test
    void repeatedBadBasicLoginsAreThrottledWith429AndRetryAfter() {
        Api.ensureUser("basic-guessed", "developer");
        for (int i = 0; i < 4; i++) {
            Api.as("basic-guessed", "wrong-password-" + i)
                    .get("/api/releases")
                    .then()
                    .statusCode(401);
        }
        Api.as("basic-guessed", "wrong-password-4").get("/api/releases").then().statusCode(429);
        Api.as("basic-guessed", Api.USER_PASSWORD)
                .get("/api/releases")
                .then()
                .statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("\\d+"))
                .contentType("application/problem+json")
                .body("status", equalTo(429))
                .body("detail", equalTo(LOCKED));
    }

    @Test
    void aSuccessfulLoginStartsTheUserNamesCountAfresh() {
        Api.ensureUser("sometimes-wrong", "developer");
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 4; i++) {
                formLogin("sometimes-wrong", "wrong-password-" + i).then().statusCode(401);
            }
            formLogin("sometimes-wrong", Api.USER_PASSWORD).then().statusCode(303);
        }
    }

    @Test
    void manyUserNamesTriedFromOneAddressLockTheAddress() {
        for (int i = 0; i < 20; i++) {
            Api.as("nobody-" + i, "wrong-password").get("/api/releases").then().statusCode(i < 19 ? 401 : 429);
        }
        Api.asAdmin().get("/api/releases").then().statusCode(429).body("detail", equalTo(LOCKED));
        formLogin("admin", Api.ADMIN_PASSWORD).then().statusCode(429);
    }

    private static io.restassured.response.Response formLogin(String username, String password) {
        return Api.formPost(null)
                .formParam("username", username)
                .formParam("password", password)
                .post("/login");
    }
}
