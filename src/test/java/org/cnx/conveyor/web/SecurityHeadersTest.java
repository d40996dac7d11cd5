package org.cnx.conveyor.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cnx.conveyor.support.Api;
import org.junit.jupiter.api.Test;

/** Hardening headers and cookie flags, with Conveyor behind a reverse proxy that terminates HTTPS. */
@QuarkusTest
@TestProfile(SecurityHeadersTest.BehindProxy.class)
class SecurityHeadersTest {

    /** Trusts X-Forwarded-* headers, as behind a reverse proxy. */
    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.http.proxy.proxy-address-forwarding",
                    "true",
                    "quarkus.http.proxy.allow-x-forwarded",
                    "true");
        }
    }

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

    @Test
    void pagesApiCallsAndRefusalsAllCarryTheHardeningHeaders() {
        hardened(given().accept(ContentType.HTML).get("/login").then().statusCode(200));
        hardened(Api.asAdmin().get("/api/releases").then().statusCode(200));
        hardened(given().accept(ContentType.JSON).get("/api/releases").then().statusCode(401));
        hardened(given().get("/css/conveyor.css").then().statusCode(200));
    }

    @Test
    void swaggerUiAloneMayRunItsInlineScripts() {
        Api.asAdmin()
                .accept("*/*")
                .get("/q/swagger-ui/")
                .then()
                .statusCode(200)
                .header(
                        "Content-Security-Policy",
                        org.hamcrest.Matchers.containsString("script-src 'self' 'unsafe-inline'"));
    }

    @Test
    void strictTransportSecurityOnlyOverHttps() {
        given().accept(ContentType.HTML).get("/login").then().header("Strict-Transport-Security", nullValue());
        given().accept(ContentType.HTML)
                .header("X-Forwarded-Proto", "https")
                .get("/login")
                .then()
                .header("Strict-Transport-Security", equalTo("max-age=31536000"));
    }

    @Test
    void theSessionCookieIsSecureOverHttpsAndOnlyThen() {
        List<String> overHttps = Api.formPost(null)
                .header("X-Forwarded-Proto", "https")
                .formParam("username", "admin")
                .formParam("password", Api.ADMIN_PASSWORD)
                .post("/login")
                .then()
                .statusCode(303)
                .extract()
                .headers()
                .getValues("Set-Cookie");
        assertThat(overHttps)
                .filteredOn(c -> c.startsWith("conveyor_session="))
                .singleElement()
                .asString()
                .contains("Secure")
                .contains("HttpOnly")
                .containsIgnoringCase("SameSite=Lax");
        List<String> overHttp = Api.formPost(null)
                .formParam("username", "admin")
                .formParam("password", Api.ADMIN_PASSWORD)
                .post("/login")
                .then()
                .statusCode(303)
                .extract()
                .headers()
                .getValues("Set-Cookie");
        assertThat(overHttp)
                .filteredOn(c -> c.startsWith("conveyor_session="))
                .singleElement()
                .asString()
                .doesNotContain("Secure");
    }

    @Test
    void noTemplateNeedsWhatThePolicyForbids() throws IOException {
        Pattern forbidden = Pattern.compile(
                "<script(?![^>]*\\bsrc=)|<style|\\sstyle=|\\son[a-z]+=|javascript:", Pattern.CASE_INSENSITIVE);
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/templates"))) {
            List<String> offenders = files.filter(f -> f.toString().endsWith(".html"))
                    .filter(f -> forbidden.matcher(read(f)).find())
                    .map(Path::toString)
                    .toList();
            assertThat(offenders).isEmpty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void hardened(ValidatableResponse response) {
        response.header("Content-Security-Policy", equalTo(CSP))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("X-Frame-Options", equalTo("DENY"))
                .header("Referrer-Policy", equalTo("same-origin"));
    }
}
