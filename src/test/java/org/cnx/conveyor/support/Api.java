package org.cnx.conveyor.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Short-hands for calling Conveyor as a given user in tests. */
public final class Api {

    public static final String ADMIN_PASSWORD = "test-admin-password";
    public static final String USER_PASSWORD = "correct-horse-battery";

    private Api() {}

    public static RequestSpecification as(String user, String password) {
        return given().auth()
                .preemptive()
                .basic(user, password)
                .contentType(ContentType.JSON)
                .accept(ContentType.JSON);
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

    /** The releases created by Conveyor itself (its sample stack at start-up, builds of commits), oldest first. */
    public static java.util.List<Long> conveyorReleases() {
        // The largest page the API gives: by the time a late test asks, earlier tests have made many releases.
        return asAdmin()
                .get("/api/releases?limit=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("findAll { it.createdBy == 'conveyor' }.id", Long.class)
                .stream()
                .sorted()
                .toList();
    }

    /**
     * A new release pinning exactly what release {@code id} pins, so it is the newest one: pages offer the newest
     * releases first, and by the time a late test runs, earlier tests have made many.
     */
    public static long copyOfRelease(long id) {
        Object components = asAdmin()
                .get("/api/releases/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .get("components");
        return asAdmin()
                .body(java.util.Map.of("components", components, "notes", "copy of release " + id))
                .post("/api/releases")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    /** The newest release Conveyor created itself. */
    public static long newestConveyorRelease() {
        java.util.List<Long> releases = conveyorReleases();
        return releases.get(releases.size() - 1);
    }

    public static void ensureUser(String username, String... roles) {
        int status = asAdmin()
                .body(Map.of("username", username, "password", USER_PASSWORD, "roles", List.of(roles)))
                .post("/api/users")
                .statusCode();
        if (status != 201 && status != 409) {
            throw new IllegalStateException("cannot create test user " + username + ": HTTP " + status);
        }
    }

    /** A browser-like session: logs in through the form and returns the session cookie. */
    public static String loginCookie(String user, String password) {
        return formPost(null)
                .formParam("username", user)
                .formParam("password", password)
                .post("/login")
                .then()
                .statusCode(303)
                .extract()
                .cookie("conveyor_session");
    }

    public static RequestSpecification page(String sessionCookie) {
        RequestSpecification page = given().redirects().follow(false).accept(ContentType.HTML);
        return sessionCookie == null ? page : page.cookie("conveyor_session", sessionCookie);
    }

    /**
     * A form submission as a browser sends it: with the hidden {@code csrf-token} field of the session's pages.
     * {@code sessionCookie} may be null for an anonymous visitor (the login form), whose field is empty.
     */
    public static RequestSpecification formPost(String sessionCookie) {
        return page(sessionCookie).contentType(ContentType.URLENC).formParam(CSRF_FIELD, csrfToken(sessionCookie));
    }

    /** A JSON API call as Conveyor's own pages make it with the session cookie: JSON body and the token header. */
    public static RequestSpecification sessionJson(String sessionCookie) {
        return given().cookie("conveyor_session", sessionCookie)
                .contentType(ContentType.JSON)
                .accept(ContentType.JSON)
                .header(CSRF_HEADER, csrfToken(sessionCookie));
    }

    public static final String CSRF_FIELD = "csrf-token";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private static final Pattern TOKEN_FIELD = Pattern.compile("name=\"" + CSRF_FIELD + "\" value=\"([^\"]*)\"");

    /** The token a session's pages put in their forms (read from the page, as a browser does); "" when logged out. */
    public static String csrfToken(String sessionCookie) {
        if (sessionCookie == null) {
            return "";
        }
        return TOKENS.computeIfAbsent(sessionCookie, session -> {
            String page = page(session)
                    .get("/tokens")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            Matcher field = TOKEN_FIELD.matcher(page);
            if (!field.find() || field.group(1).isEmpty()) {
                throw new IllegalStateException("the session's page has no CSRF token in its forms");
            }
            return field.group(1);
        });
    }
}
