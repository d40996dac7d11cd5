package org.cnx.conveyor.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.cnx.conveyor.support.Api;
import org.junit.jupiter.api.Test;

/** A form posted from another site carries the victim's session cookie but cannot know the CSRF token. */
@QuarkusTest
class CsrfTest {

    @Test
    void aFormPostWithoutAValidCsrfTokenIsRefusedAndChangesNothing() {
        Api.ensureUser("csrf-victim", "developer");
        String session = Api.loginCookie("csrf-victim", Api.USER_PASSWORD);

        int withoutToken = Api.page(session).contentType(ContentType.URLENC).formParam("name", "forged-1")
                .post("/tokens").statusCode();
        int tokenWithoutCookie = Api.page(session).contentType(ContentType.URLENC).formParam("name", "forged-2")
                .formParam(Api.CSRF_FIELD, Api.csrfToken()).post("/tokens").statusCode();
        int mismatched = Api.page(session).contentType(ContentType.URLENC).formParam("name", "forged-3")
                .cookie(Api.CSRF_COOKIE, Api.csrfToken()).formParam(Api.CSRF_FIELD, Api.csrfToken())
                .post("/tokens").statusCode();
        assertThat(withoutToken).isEqualTo(400);
        assertThat(tokenWithoutCookie).isEqualTo(400);
        assertThat(mismatched).isEqualTo(400);

        String tokens = Api.as("csrf-victim", Api.USER_PASSWORD).get("/api/tokens").then().statusCode(200).extract().asString();
        assertThat(tokens).doesNotContain("forged");

        Api.formPost(session).formParam("name", "genuine").post("/tokens").then().statusCode(200);
        assertThat(Api.as("csrf-victim", Api.USER_PASSWORD).get("/api/tokens").then().extract().asString()).contains("genuine");
    }

    @Test
    void everyFormOnAPageCarriesTheToken() {
        String page = Api.page(Api.loginCookie("admin", Api.ADMIN_PASSWORD)).get("/users").then().statusCode(200)
                .extract().asString();
        int forms = page.split("<form ", -1).length - 1;
        int tokens = page.split("name=\"" + Api.CSRF_FIELD + "\"", -1).length - 1;
        assertThat(forms).isGreaterThan(2);
        assertThat(tokens).isEqualTo(forms);
    }
}
