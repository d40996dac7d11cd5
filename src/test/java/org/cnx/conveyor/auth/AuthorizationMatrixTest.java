package org.cnx.conveyor.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cnx.conveyor.support.Api;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mutating endpoint and form, called by every role: the server (not the page) decides.
 * "allowed" means the request got past authorization (any status but 401/403 and the login redirect).
 */
@QuarkusTest
class AuthorizationMatrixTest {

    private static final List<String> ROLES = List.of("anonymous", "reviewer", "developer", "lead", "admin");

    /** One mutating endpoint and the lowest role allowed to call it ("user" = any logged-in user). */
    record Endpoint(String method, String path, String body, String lowestRole, boolean form) {
        static Endpoint api(String method, String path, String body, String lowestRole) {
            return new Endpoint(method, path, body, lowestRole, false);
        }

        static Endpoint form(String path, String body, String lowestRole) {
            return new Endpoint("POST", path, body, lowestRole, true);
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            Endpoint.api("POST", "/api/users", "{\"username\":\"matrix-new\",\"password\":\"x\",\"roles\":[]}", "admin"),
            Endpoint.api("PUT", "/api/users/matrix-none", "{\"roles\":[\"reviewer\"]}", "admin"),
            Endpoint.api("DELETE", "/api/users/matrix-none", null, "admin"),
            Endpoint.api("GET", "/api/users", null, "admin"),
            Endpoint.api("POST", "/api/tokens", "{\"name\":\"\"}", "user"),
            Endpoint.api("DELETE", "/api/tokens/999999", null, "user"),
            Endpoint.api("PUT", "/api/secrets/matrix", "{\"value\":\"\"}", "admin"),
            Endpoint.api("DELETE", "/api/secrets/matrix-none", null, "admin"),
            Endpoint.api("GET", "/api/secrets", null, "admin"),
            Endpoint.api("POST", "/api/releases", "{\"components\":{}}", "developer"),
            Endpoint.api("POST", "/api/environments/sync", null, "admin"),
            Endpoint.api("POST", "/api/environments/import", "{}", "admin"),
            Endpoint.api("GET", "/api/subscriptions", null, "admin"),
            Endpoint.api("POST", "/api/subscriptions", "{}", "admin"),
            Endpoint.api("POST", "/api/subscriptions/999999/pause", null, "admin"),
            Endpoint.api("POST", "/api/subscriptions/999999/deliveries/1/redeliver", null, "admin"),
            Endpoint.form("/users", "username=matrix-new&password=x", "admin"),
            Endpoint.form("/users/matrix-none", "roles=reviewer", "admin"),
            Endpoint.form("/users/matrix-none/delete", "", "admin"),
            Endpoint.form("/tokens", "name=", "user"),
            Endpoint.form("/tokens/999999/revoke", "", "user"),
            Endpoint.form("/secrets", "name=matrix&value=", "admin"),
            Endpoint.form("/secrets/matrix-none/delete", "", "admin"),
            Endpoint.form("/environments/sync", "", "admin"),
            Endpoint.form("/subscriptions", "url=", "admin"),
            Endpoint.form("/subscriptions/999999/ping", "", "admin"),
            Endpoint.api("POST", "/api/clones", "{\"release\":999999}", "developer"),
            Endpoint.api("POST", "/api/clones/dev-matrix-none/deployments", "{\"release\":1}", "developer"),
            Endpoint.api("POST", "/api/clones/dev-matrix-none/reset", null, "developer"),
            Endpoint.api("DELETE", "/api/clones/dev-matrix-none", null, "developer"),
            Endpoint.form("/clones", "release=999999", "developer"),
            Endpoint.form("/clones/dev-matrix-none/deploy", "release=1", "developer"),
            Endpoint.form("/clones/dev-matrix-none/reset", "", "developer"),
            Endpoint.form("/clones/dev-matrix-none/teardown", "", "developer"));

    static Stream<Arguments> matrix() {
        List<Arguments> rows = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            for (String role : ROLES) {
                rows.add(Arguments.of(endpoint.method() + " " + endpoint.path(), role, endpoint));
            }
        }
        return rows.stream();
    }

    static boolean allowed(String role, String lowestRole) {
        if (role.equals("anonymous")) {
            return false;
        }
        if (lowestRole.equals("user")) {
            return true;
        }
        return ROLES.indexOf(role) >= ROLES.indexOf(lowestRole);
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("matrix")
    void everyRoleGetsExactlyWhatItMayDo(String name, String role, Endpoint endpoint) {
        RequestSpecification request = requestAs(role, endpoint.form());
        if (endpoint.form()) {
            for (String field : endpoint.body().split("&")) {
                if (!field.isEmpty()) {
                    request = request.formParam(field.substring(0, field.indexOf('=')), field.substring(field.indexOf('=') + 1));
                }
            }
        } else if (endpoint.body() != null) {
            request = request.body(endpoint.body());
        }
        int status = request.request(endpoint.method(), endpoint.path()).statusCode();
        if (allowed(role, endpoint.lowestRole())) {
            assertThat(status).as(name + " as " + role).isNotIn(401, 403, 302);
        } else if (role.equals("anonymous")) {
            assertThat(status).as(name + " as anonymous").isEqualTo(endpoint.form() ? 302 : 401);
        } else {
            assertThat(status).as(name + " as " + role).isEqualTo(403);
        }
    }

    private static RequestSpecification requestAs(String role, boolean form) {
        if (!form) {
            return role.equals("anonymous")
                    ? given().contentType(ContentType.JSON).accept(ContentType.JSON)
                    : Api.asRole(role);
        }
        if (role.equals("anonymous")) {
            return Api.formPost(null);
        }
        String user = role.equals("admin") ? "admin" : role + "-user";
        if (!role.equals("admin")) {
            Api.ensureUser(user, role);
        }
        String password = role.equals("admin") ? Api.ADMIN_PASSWORD : Api.USER_PASSWORD;
        return Api.formPost(Api.loginCookie(user, password));
    }
}
