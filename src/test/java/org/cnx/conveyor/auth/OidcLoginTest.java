package org.cnx.conveyor.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.TestOidcProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Single sign-on against an OpenID Connect provider running in the test, with password login switched off. */
@QuarkusTest
@TestProfile(OidcLoginTest.SingleSignOnOnly.class)
class OidcLoginTest {

    /** OIDC on, groups mapped to roles, local passwords refused. */
    public static class SingleSignOnOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "conveyor.auth.local-login",
                    "false",
                    "conveyor.oidc.provider-name",
                    "Keycloak",
                    "conveyor.oidc.role-mapping.leads",
                    "lead",
                    "conveyor.oidc.role-mapping.ops",
                    "developer,admin");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TestOidcProvider.class));
        }
    }

    @Inject
    TokenService tokens;

    @Inject
    AuditLog audit;

    private String adminToken;

    @BeforeEach
    void adminToken() {
        adminToken = tokens.create("admin", "oidc-test-" + System.nanoTime()).token();
    }

    @Test
    void oidcLoginMapsTheLeadsGroupToTheLeadRole() {
        TestOidcProvider.nextLogin("subject-lena", "Lena", "leads", "staff");
        String session = logInBySingleSignOn().cookie("conveyor_session");

        Api.page(session).get("/tokens").then().statusCode(200).body(containsString("lena"));
        Api.page(session).get("/users").then().statusCode(403);
        Api.page(session).get("/approvals").then().statusCode(200).body(containsString("Waiting for your approval"));
        int release = Api.sessionJson(session)
                .body("{\"components\":{}}")
                .post("/api/releases")
                .statusCode();
        assertThat(release).as("a lead may do what developers do").isNotIn(401, 403);
        assertThat(rolesOf("lena")).containsExactly("lead");
        assertThat(auditActions("users/lena")).contains("user.created", "login.succeeded");
    }

    @Test
    void rolesAreMappedAgainAtEveryLoginAndAnUnmappedUserIsRefused() {
        TestOidcProvider.nextLogin("subject-omar", "omar", "ops");
        logInBySingleSignOn();
        assertThat(rolesOf("omar")).containsExactlyInAnyOrder("admin", "developer");

        TestOidcProvider.nextLogin("subject-omar", "omar", "leads");
        logInBySingleSignOn();
        assertThat(rolesOf("omar")).containsExactly("lead");

        TestOidcProvider.nextLogin("subject-omar", "omar", "staff");
        Response refused = follow(
                given().redirects().follow(false).accept(ContentType.HTML).get("/login/oidc"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.asString()).contains("has no groups value that grants a Conveyor role");
        assertThat(refused.getCookie("conveyor_session")).isNull();
        assertThat(rolesOf("omar")).isEmpty();
    }

    @Test
    void aProviderUserCannotTakeOverALocalUsersName() {
        TestOidcProvider.nextLogin("subject-mallory", "admin", "ops");
        Response refused = follow(
                given().redirects().follow(false).accept(ContentType.HTML).get("/login/oidc"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.asString()).contains("A local user named &quot;admin&quot; already exists");
    }

    @Test
    void theLoginPageOffersSingleSignOnInsteadOfThePasswordForm() {
        given().accept(ContentType.HTML)
                .get("/login")
                .then()
                .statusCode(200)
                .body(containsString("Log in with Keycloak"))
                .body(not(containsString("type=\"password\"")));
    }

    @Test
    void passwordsAreRefusedWhenLocalLoginIsOffButApiTokensKeepWorking() {
        Api.asAdmin().get("/api/users").then().statusCode(401);
        given().auth()
                .oauth2(adminToken)
                .accept(ContentType.JSON)
                .get("/api/users")
                .then()
                .statusCode(200);
        Api.as("admin", adminToken).get("/api/users").then().statusCode(200);
    }

    @Test
    void singleSignOnUsersHaveNoPasswordToSet() {
        TestOidcProvider.nextLogin("subject-nina", "nina", "leads");
        logInBySingleSignOn();
        given().auth()
                .oauth2(adminToken)
                .contentType(ContentType.JSON)
                .accept(ContentType.JSON)
                .body(Map.of("password", "a-brand-new-password"))
                .put("/api/users/nina")
                .then()
                .statusCode(409)
                .body("detail", containsString("single sign-on"));
    }

    /** Drives the authorization-code flow as a browser does, from the login button to Conveyor's session cookie. */
    private static Response logInBySingleSignOn() {
        Response done = follow(
                given().redirects().follow(false).accept(ContentType.HTML).get("/login/oidc"));
        assertThat(done.statusCode()).as(done.asString()).isEqualTo(303);
        assertThat(done.getCookie("conveyor_session")).isNotBlank();
        return done;
    }

    /** Follows redirects by hand, across Conveyor and the provider, keeping each site's cookies as a browser would. */
    private static Response follow(Response first) {
        Map<String, String> cookies = new HashMap<>(first.getCookies());
        Response response = first;
        for (int hop = 0; hop < 6 && response.statusCode() == 302; hop++) {
            String location = response.getHeader("Location");
            boolean conveyor = !location.contains("/realm/");
            var request =
                    given().urlEncodingEnabled(false).redirects().follow(false).accept(ContentType.HTML);
            if (conveyor) {
                request.cookies(cookies);
            }
            response = request.get(location);
            if (conveyor) {
                response.getCookies().forEach((name, value) -> {
                    if (value.isEmpty()) {
                        cookies.remove(name);
                    } else {
                        cookies.put(name, value);
                    }
                });
            }
        }
        return response;
    }

    private List<String> rolesOf(String username) {
        List<Map<String, Object>> users = given().auth()
                .oauth2(adminToken)
                .accept(ContentType.JSON)
                .get("/api/users")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        @SuppressWarnings("unchecked")
        List<String> roles = users.stream()
                .filter(u -> username.equals(u.get("username")))
                .map(u -> (List<String>) u.get("roles"))
                .findFirst()
                .orElseThrow();
        return roles;
    }

    private List<String> auditActions(String subject) {
        return audit.about(subject, 20).stream().map(e -> e.action).toList();
    }
}
