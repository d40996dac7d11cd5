package org.cnx.conveyor.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;

/** Short-hands for calling Conveyor as a given user in tests. */
public final class Api {

    public static final String ADMIN_PASSWORD = "test-admin-password";
    public static final String USER_PASSWORD = "correct-horse-battery";

    private Api() {}

    public static RequestSpecification as(String user, String password) {
        return given().auth().preemptive().basic(user, password).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    public static RequestSpecification asAdmin() {
        return as("admin", ADMIN_PASSWORD);
    }

    /** Logs in as the user with that role, creating it first if needed; each role's user is named after it. */
    public static RequestSpecification asRole(String role) {
        if (role.equals("admin")) {
            return asAdmin();
        }
        ensureUser(role + "-user", role);
        return as(role + "-user", USER_PASSWORD);
    }

    public static void ensureUser(String username, String... roles) {
        int status = asAdmin().body(Map.of("username", username, "password", USER_PASSWORD, "roles", List.of(roles)))
                .post("/api/users").statusCode();
        if (status != 201 && status != 409) {
            throw new IllegalStateException("cannot create test user " + username + ": HTTP " + status);
        }
    }

    /** A browser-like session: logs in through the form and returns the session cookie. */
    public static String loginCookie(String user, String password) {
        return formPost(null).formParam("username", user).formParam("password", password)
                .post("/login").then().statusCode(303).extract().cookie("conveyor_session");
    }

    public static RequestSpecification page(String sessionCookie) {
        RequestSpecification page = given().redirects().follow(false).accept(ContentType.HTML);
        return sessionCookie == null ? page : page.cookie("conveyor_session", sessionCookie);
    }

    /**
     * A form submission as a browser sends it: the CSRF cookie the login page set and the same token in the form's
     * hidden field. {@code sessionCookie} may be null for an anonymous visitor.
     */
    public static RequestSpecification formPost(String sessionCookie) {
        String token = csrfToken();
        return page(sessionCookie).contentType(ContentType.URLENC)
                .cookie(CSRF_COOKIE, token).formParam(CSRF_FIELD, token);
    }

    public static final String CSRF_COOKIE = "conveyor_csrf";
    public static final String CSRF_FIELD = "csrf-token";

    /** The token the login page hands out, read from its cookie and checked against its hidden form field. */
    public static String csrfToken() {
        var response = given().accept(ContentType.HTML).get("/login").then().statusCode(200).extract();
        String token = response.cookie(CSRF_COOKIE);
        if (token == null || !response.asString().contains("value=\"" + token + "\"")) {
            throw new IllegalStateException("the login page set no CSRF cookie matching its form field");
        }
        return token;
    }
}
