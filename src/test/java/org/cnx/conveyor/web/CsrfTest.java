package org.cnx.conveyor.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.oneOf;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.Test;

/**
 * Another page (another site, or a preview on another port of the same host) can make a browser send any simple
 * request to Conveyor with the victim's session cookie, but cannot read the session's token: each forgery is refused
 * with 403 and changes nothing.
 */
@QuarkusTest
class CsrfTest {

    private static String admin() {
        return Api.loginCookie("admin", Api.ADMIN_PASSWORD);
    }

    private static void assertRefused(Response response) {
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.asString()).contains("Cross-site request refused");
    }

    @Test
    void aBodilessPostWithOnlyTheAdminsCookieDeletesNoUser() {
        Api.ensureUser("csrf-bystander", "developer");
        assertRefused(Api.page(admin()).post("/users/csrf-bystander/delete"));
        Api.asAdmin().get("/api/users").then().statusCode(200).body(containsString("csrf-bystander"));
    }

    @Test
    void aBodilessPostWithOnlyTheAdminsCookieDeletesNoSecret() {
        Api.asAdmin()
                .body(Map.of("value", "s3cr3t"))
                .put("/api/secrets/csrf-kept")
                .then()
                .statusCode(oneOf(200, 201, 204));
        assertRefused(Api.page(admin()).post("/secrets/csrf-kept/delete"));
        assertThat(Api.asAdmin()
                        .get("/api/secrets")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .contains("csrf-kept");
    }

    @Test
    void aForgedFormPostLeavesNoRefusalToShowNextToAFormButOneFromConveyorsOwnPageDoes() {
        String session = admin();
        Api.ensureUser("csrf-refusal", "reviewer");
        Response forged = Api.page(session)
                .contentType("application/x-www-form-urlencoded")
                .header("Origin", "http://evil.example")
                .header("Sec-Fetch-Site", "cross-site")
                .header("Referer", "http://evil.example/users")
                .formParam("roles", "Send your password to evil.example")
                .formParam("password", "short")
                .post("/users/csrf-refusal");
        assertRefused(forged);
        assertThat(forged.getCookie("conveyor-refusal")).isNull();

        Response own = Api.formPost(session)
                .header("Sec-Fetch-Site", "same-origin")
                .header("Referer", "http://localhost/users")
                .formParam("roles", "reviewer")
                .formParam("password", "short")
                .post("/users/csrf-refusal");
        assertThat(own.statusCode()).isEqualTo(303);
        assertThat(own.getHeader("Location")).endsWith("/users");
        assertThat(own.getCookie("conveyor-refusal")).isNotBlank();
        assertThat(new String(java.util.Base64.getUrlDecoder().decode(own.getCookie("conveyor-refusal"))))
                .as("the typed password is never sent back")
                .doesNotContain("short\"")
                .contains("reviewer");
    }

    @Test
    void aTextPlainPostCarryingAFormLikeBodyIsRefused() {
        String session = admin();
        Response forged = Api.page(session)
                .contentType("text/plain")
                .body("name=forged-plain&csrf-token=" + Api.csrfToken(session))
                .post("/tokens");
        assertRefused(forged);
        assertThat(Api.asAdmin().get("/api/tokens").then().extract().asString()).doesNotContain("forged-plain");
    }

    @Test
    void aPlantedCookieWithAMatchingFieldOrAnotherSessionsTokenIsRefused() {
        Api.ensureUser("csrf-victim", "developer");
        Api.ensureUser("csrf-attacker", "developer");
        String victim = Api.loginCookie("csrf-victim", Api.USER_PASSWORD);
        String attackers = Api.csrfToken(Api.loginCookie("csrf-attacker", Api.USER_PASSWORD));

        assertRefused(Api.page(victim)
                .contentType(ContentType.URLENC)
                .cookie("conveyor_csrf", "planted")
                .formParam("csrf-token", "planted")
                .formParam("name", "forged-planted")
                .post("/tokens"));
        assertRefused(Api.page(victim)
                .contentType(ContentType.URLENC)
                .formParam("csrf-token", attackers)
                .formParam("name", "forged-other-session")
                .post("/tokens"));
        assertRefused(Api.page(victim)
                .contentType(ContentType.URLENC)
                .formParam("name", "forged-none")
                .post("/tokens"));

        assertThat(Api.as("csrf-victim", Api.USER_PASSWORD)
                        .get("/api/tokens")
                        .then()
                        .extract()
                        .asString())
                .doesNotContain("forged");
        Api.formPost(victim).formParam("name", "genuine").post("/tokens").then().statusCode(303);
        assertThat(Api.as("csrf-victim", Api.USER_PASSWORD)
                        .get("/api/tokens")
                        .then()
                        .extract()
                        .asString())
                .contains("genuine");
    }

    @Test
    void aNewTokenCookiePlantedByAnotherPageOfTheHostShowsNoTokenToCopy() {
        Api.ensureUser("csrf-victim", "developer");
        String victim = Api.loginCookie("csrf-victim", Api.USER_PASSWORD);
        String payload = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("ci\nattackers-own-token".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String tokens = Api.page(victim)
                .cookie("conveyor-new-token", payload + ".forged-signature")
                .get("/tokens")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(tokens).doesNotContain("attackers-own-token").doesNotContain("id=\"new-token\"");
    }

    @Test
    void aLeadsCookieAloneApprovesNoPromotion() {
        TestEnvironments.writeInstant("csrf-staging", "staging", 0);
        TestEnvironments.writeInstant("csrf-prod", "production", 1);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        Api.ensureUser("csrf-dev", "developer");
        Api.ensureUser("csrf-lead", "lead");
        long release = Jobs.versionOnlyRelease("csrf-1");
        Jobs.awaitFinished(Jobs.deploy("csrf-staging", release), Duration.ofMinutes(2));
        long promotion = Api.as("csrf-dev", Api.USER_PASSWORD)
                .body(Map.of("release", release, "environment", "csrf-prod"))
                .post("/api/promotions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");

        String lead = Api.loginCookie("csrf-lead", Api.USER_PASSWORD);
        assertRefused(Api.page(lead).post("/promotions/" + promotion + "/approve"));
        assertRefused(Api.page(lead).contentType("text/plain").body("x").post("/promotions/" + promotion + "/approve"));
        assertThat(Api.asAdmin()
                        .get("/api/promotions/" + promotion)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getString("promotion.state"))
                .isEqualTo("pending");
        assertThat(Api.asAdmin()
                        .get("/api/environments/csrf-prod/jobs")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .isEqualTo("[]");
    }

    @Test
    void logoutWithoutTheTokenKeepsTheSession() {
        String session = admin();
        assertRefused(Api.page(session).post("/logout"));
        Api.page(session).get("/tokens").then().statusCode(200);

        Api.formPost(session).post("/logout").then().statusCode(303);
        Api.page(session).get("/tokens").then().statusCode(302);
    }

    @Test
    void aCookieAuthenticatedJsonCallNeedsTheTokenHeaderAndAJsonBody() {
        Api.ensureUser("csrf-json", "developer");
        String session = Api.loginCookie("csrf-json", Api.USER_PASSWORD);

        assertRefused(given().cookie("conveyor_session", session)
                .contentType(ContentType.JSON)
                .accept(ContentType.JSON)
                .body("{\"name\":\"forged-json\"}")
                .post("/api/tokens"));
        assertRefused(given().cookie("conveyor_session", session)
                .contentType("text/plain")
                .accept(ContentType.JSON)
                .header(Api.CSRF_HEADER, Api.csrfToken(session))
                .body("{\"name\":\"forged-plain-json\"}")
                .post("/api/tokens"));
        assertThat(Api.as("csrf-json", Api.USER_PASSWORD)
                        .get("/api/tokens")
                        .then()
                        .extract()
                        .asString())
                .doesNotContain("forged");

        Api.sessionJson(session)
                .body("{\"name\":\"from-the-page\"}")
                .post("/api/tokens")
                .then()
                .statusCode(201);
        Api.as("csrf-json", Api.USER_PASSWORD)
                .body("{\"name\":\"by-basic\"}")
                .post("/api/tokens")
                .then()
                .statusCode(201);
    }

    @Test
    void aRequestABrowserMarksAsSentByAnotherOriginIsRefusedEvenWithTheToken() {
        String session = admin();
        assertRefused(Api.formPost(session)
                .header("Sec-Fetch-Site", "same-site")
                .formParam("name", "from-a-preview")
                .post("/tokens"));
        assertRefused(Api.formPost(null)
                .header("Sec-Fetch-Site", "cross-site")
                .formParam("username", "admin")
                .formParam("password", Api.ADMIN_PASSWORD)
                .post("/login"));
        Api.formPost(session)
                .header("Sec-Fetch-Site", "same-origin")
                .formParam("name", "same-origin")
                .post("/tokens")
                .then()
                .statusCode(303);
    }

    @Test
    void aRefusedFormShowsAnErrorPageWhoseLogoutFormStillWorks() {
        String session = admin();
        Response refused = Api.page(session).post("/secrets/none/delete");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("text/html");
        assertThat(refused.asString()).contains("value=\"" + Api.csrfToken(session) + "\"");
    }

    @Test
    void everyFormOnAPageCarriesTheSessionsToken() {
        String session = admin();
        String page =
                Api.page(session).get("/users").then().statusCode(200).extract().asString();
        int forms = page.split("<form ", -1).length - 1;
        int tokens =
                page.split("name=\"" + Api.CSRF_FIELD + "\" value=\"" + Api.csrfToken(session) + "\"", -1).length - 1;
        assertThat(forms).isGreaterThan(2);
        assertThat(tokens).isEqualTo(forms);
    }
}
