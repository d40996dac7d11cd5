package org.cnx.conveyor.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthenticationTest {

    @Test
    void apiWithoutCredentialsAnswers401WithABasicChallenge() {
        given().accept(ContentType.JSON)
                .get("/api/releases")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("Basic"));
    }

    @Test
    void pageWithoutLoginRedirectsToTheLoginFormAndBack() {
        given().redirects()
                .follow(false)
                .accept(ContentType.HTML)
                .get("/releases?x=1")
                .then()
                .statusCode(302)
                .header("Location", endsWithLoginNext("/releases?x=1"));
    }

    private static org.hamcrest.Matcher<String> endsWithLoginNext(String next) {
        return containsString(
                "/login?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void healthAndLoginPageAreOpenToEveryone() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body(containsString("Database connections health check"));
        given().accept(ContentType.HTML)
                .get("/login")
                .then()
                .statusCode(200)
                .body(containsString("Log in to Conveyor"));
    }

    @Test
    void metricsAndOpenApiNeedALogin() {
        given().get("/q/metrics").then().statusCode(401);
        given().get("/q/openapi").then().statusCode(401);
        Api.asAdmin().accept("*/*").get("/q/metrics").then().statusCode(200);
        Api.asAdmin().accept("*/*").get("/q/openapi").then().statusCode(200).body(containsString("/api/releases"));
    }

    @Test
    void wrongPasswordIsRefusedOnTheFormAndOverBasic() {
        String refusedSession = Api.formPost(null)
                .formParam("username", "admin")
                .formParam("password", "wrong-password")
                .post("/login")
                .then()
                .statusCode(401)
                .body(containsString("Wrong user name or password"))
                .extract()
                .cookie("conveyor_session");
        assertThat(refusedSession).isNull();
        Api.as("admin", "wrong-password").get("/api/releases").then().statusCode(401);
        Api.as("nobody", "wrong-password").get("/api/releases").then().statusCode(401);
    }

    @Test
    void formLoginGivesAnHttpOnlySessionThatOpensPagesUntilLogout() {
        String setCookie = Api.formPost(null)
                .formParam("username", "admin")
                .formParam("password", Api.ADMIN_PASSWORD)
                .formParam("next", "/tokens")
                .post("/login")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/tokens"))
                .extract()
                .headers()
                .getValues("Set-Cookie")
                .stream()
                .filter(c -> c.startsWith("conveyor_session="))
                .findFirst()
                .orElseThrow();
        assertThat(setCookie).contains("conveyor_session=").contains("HttpOnly").containsIgnoringCase("SameSite=Lax");
        String session = Api.loginCookie("admin", Api.ADMIN_PASSWORD);
        Api.page(session).get("/tokens").then().statusCode(200).body(containsString("API tokens"));
        Api.formPost(session).post("/logout").then().statusCode(303);
        Api.page(session).get("/tokens").then().statusCode(302);
    }

    private static org.hamcrest.Matcher<String> endsWith(String suffix) {
        return org.hamcrest.Matchers.endsWith(suffix);
    }

    @Test
    void loginRefusesToRedirectToAnotherSite() {
        Api.formPost(null)
                .formParam("username", "admin")
                .formParam("password", Api.ADMIN_PASSWORD)
                .formParam("next", "//evil.example/")
                .post("/login")
                .then()
                .statusCode(303)
                .header("Location", not(containsString("evil")));
    }

    @Test
    void controlCharactersInTheLoginsNextLeadToTheDefaultPageNotAnError() {
        for (String next :
                List.of("/tokens\r\nSet-Cookie: planted=1", "/tokens\u0000", "/\t/evil.example/", "/a b", "/%zz")) {
            Api.formPost(null)
                    .formParam("username", "admin")
                    .formParam("password", Api.ADMIN_PASSWORD)
                    .formParam("next", next)
                    .post("/login")
                    .then()
                    .statusCode(303)
                    .header("Location", endsWith("/"))
                    .header("Set-Cookie", not(containsString("planted")));
        }
        given().accept(ContentType.HTML)
                .urlEncodingEnabled(false)
                .get("/login?next=%2Ftokens%0d%0aX-Evil:%201%00")
                .then()
                .statusCode(200)
                .body(containsString("name=\"next\" value=\"/\""));
    }

    @Test
    void apiTokenWorksAsBearerAndAsBasicPasswordUntilRevoked() {
        Api.ensureUser("token-owner", "developer");
        Map<String, Object> created = Api.as("token-owner", Api.USER_PASSWORD)
                .body(Map.of("name", "ci"))
                .post("/api/tokens")
                .then()
                .statusCode(201)
                .extract()
                .as(Map.class);
        String token = (String) created.get("token");
        assertThat(token).startsWith("cvy_");

        given().auth()
                .oauth2(token)
                .accept(ContentType.JSON)
                .get("/api/releases")
                .then()
                .statusCode(200);
        Api.as("token-owner", token).get("/api/releases").then().statusCode(200);
        Api.as("admin", token).get("/api/releases").then().statusCode(401);

        String listed = Api.as("token-owner", Api.USER_PASSWORD)
                .get("/api/tokens")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(listed).contains("\"ci\"").doesNotContain(token);
        String lastUsed =
                io.restassured.path.json.JsonPath.from(listed).getString("find { it.name == 'ci' }.lastUsedAt");
        assertThat(lastUsed).as("set by the token's first use").isNotNull();
        Api.as("token-owner", token).get("/api/releases").then().statusCode(200);
        assertThat(Api.as("token-owner", Api.USER_PASSWORD)
                        .get("/api/tokens")
                        .then()
                        .extract()
                        .jsonPath()
                        .getString("find { it.name == 'ci' }.lastUsedAt"))
                .as("written at most once a minute, not by every request")
                .isEqualTo(lastUsed);

        Api.as("token-owner", Api.USER_PASSWORD)
                .delete("/api/tokens/" + created.get("id"))
                .then()
                .statusCode(204);
        given().auth()
                .oauth2(token)
                .accept(ContentType.JSON)
                .get("/api/releases")
                .then()
                .statusCode(401);
    }

    @Test
    void adminManagesUsersAndOthersCannot() {
        Api.asAdmin()
                .body(Map.of("username", "carol", "password", "short", "roles", java.util.List.of("lead")))
                .post("/api/users")
                .then()
                .statusCode(400)
                .body("detail", containsString("at least 10 characters"));
        Api.asAdmin()
                .body(Map.of("username", "carol", "password", Api.USER_PASSWORD, "roles", java.util.List.of("lead")))
                .post("/api/users")
                .then()
                .statusCode(201)
                .body("roles[0]", equalTo("lead"));
        Api.as("carol", Api.USER_PASSWORD)
                .get("/api/users")
                .then()
                .statusCode(403)
                .body("title", equalTo("Forbidden"));
        Api.asAdmin()
                .body(Map.of("roles", java.util.List.of("reviewer")))
                .put("/api/users/carol")
                .then()
                .statusCode(200)
                .body("roles", org.hamcrest.Matchers.contains("reviewer"));
        Api.asAdmin().delete("/api/users/carol").then().statusCode(204);
        Api.asAdmin().delete("/api/users/carol").then().statusCode(404);
        Api.asAdmin().delete("/api/users/admin").then().statusCode(409).body("detail", containsString("last admin"));
    }
}
