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
        return given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("username", user).formParam("password", password)
                .post("/login").then().statusCode(303).extract().cookie("conveyor_session");
    }

    public static RequestSpecification page(String sessionCookie) {
        return given().redirects().follow(false).cookie("conveyor_session", sessionCookie).accept(ContentType.HTML);
    }
}
