package org.cnx.conveyor.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** With the default configuration single sign-on is off: no button, and its path just asks for a password login. */
@QuarkusTest
class LoginWithoutSingleSignOnTest {

    @Test
    void theLoginPageOffersOnlyThePasswordForm() {
        given().accept(ContentType.HTML)
                .get("/login")
                .then()
                .statusCode(200)
                .body(containsString("type=\"password\""))
                .body(not(containsString("Log in with")));
    }

    @Test
    void theSingleSignOnPathLeadsBackToTheLoginForm() {
        Response response =
                given().redirects().follow(false).accept(ContentType.HTML).get("/login/oidc");
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.getHeader("Location")).startsWith("/login?next=");
        assertThat(response.getCookie("conveyor_session")).isNull();
    }
}
