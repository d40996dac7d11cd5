package org.cnx.conveyor.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cnx.conveyor.clone.Clone;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.job.Job;
import org.cnx.conveyor.job.JobStatus;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Jobs;
import org.cnx.conveyor.support.TestEnvironments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mutating endpoint and form, called by every role: the server (not the page) decides.
 * "allowed" means the request got past authorization (any status but 401/403 and the login redirect).
 */
@QuarkusTest
class AuthorizationMatrixTest {

    /** Destructive page actions ask first (web.ConfirmStep); the matrix checks what happens once confirmed. */
    private static final String CONFIRMED = "confirmed=yes";

    private static final List<String> ROLES = List.of("anonymous", "reviewer", "developer", "lead", "admin");

    /**
     * One mutating endpoint, form or restricted page and the lowest role allowed to call it ("user" = any logged-in
     * user, "nobody" = refused to every role). Paths and bodies are written as docs/security.md lists them; the
     * placeholders are filled in with {@link #concrete}.
     */
    record Endpoint(String method, String path, String body, String lowestRole, boolean form) {
        static Endpoint api(String method, String path, String body, String lowestRole) {
            return new Endpoint(method, path, body, lowestRole, false);
        }

        static Endpoint form(String path, String body, String lowestRole) {
            return new Endpoint("POST", path, body, lowestRole, true);
        }

        static Endpoint page(String path, String lowestRole) {
            return new Endpoint("GET", path, "", lowestRole, true);
        }

        String request() {
            return method + " " + path;
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            Endpoint.api(
                    "POST", "/api/users", "{\"username\":\"matrix-new\",\"password\":\"x\",\"roles\":[]}", "admin"),
            Endpoint.api("PUT", "/api/users/{name}", "{\"roles\":[\"reviewer\"]}", "admin"),
            Endpoint.api("DELETE", "/api/users/{name}", null, "admin"),
            Endpoint.api("GET", "/api/users", null, "admin"),
            Endpoint.api("POST", "/api/tokens", "{\"name\":\"\"}", "user"),
            Endpoint.api("DELETE", "/api/tokens/{id}", null, "user"),
            Endpoint.api("PUT", "/api/secrets/{name}", "{\"value\":\"\"}", "admin"),
            Endpoint.api("DELETE", "/api/secrets/{name}", null, "admin"),
            Endpoint.api("GET", "/api/secrets", null, "admin"),
            Endpoint.api("POST", "/api/releases", "{\"components\":{}}", "developer"),
            Endpoint.api("PUT", "/api/artifacts/{sha256}", "{}", "developer"),
            Endpoint.api("POST", "/api/environments/sync", null, "admin"),
            Endpoint.api("POST", "/api/environments/import", "{}", "admin"),
            Endpoint.api("POST", "/api/environments/{unprotected}/deployments", "{\"release\":{release}}", "developer"),
            Endpoint.api("POST", "/api/environments/{protected}/deployments", "{\"release\":{release}}", "nobody"),
            Endpoint.api("POST", "/api/environments/{unprotected}/rollback", null, "developer"),
            Endpoint.api("POST", "/api/environments/{protected}/rollback", null, "lead"),
            Endpoint.api("POST", "/api/environments/{unprotected}/retry-rollback", null, "developer"),
            Endpoint.api("POST", "/api/environments/{protected}/retry-rollback", null, "lead"),
            Endpoint.api("POST", "/api/jobs/{id}/cancel", null, "developer"),
            Endpoint.api("POST", "/api/jobs/{protected-job}/cancel", null, "lead"),
            Endpoint.api("POST", "/api/environments/{someones-clone}/deployments", "{\"release\":{release}}", "admin"),
            Endpoint.api("POST", "/api/environments/{someones-clone}/rollback", null, "admin"),
            Endpoint.api("POST", "/api/environments/{someones-clone}/retry-rollback", null, "admin"),
            Endpoint.api("POST", "/api/environments/{unprotected}/migrations/run", null, "admin"),
            Endpoint.api("POST", "/api/environments/{unprotected}/migrations/{version}/mark-applied", null, "admin"),
            Endpoint.api(
                    "POST", "/api/environments/{unprotected}/migrations/{version}/mark-not-applied", null, "admin"),
            Endpoint.api("POST", "/api/environments/{unprotected}/migrations/baseline", "{}", "admin"),
            Endpoint.api("POST", "/api/environments/{unprotected}/drift", null, "developer"),
            Endpoint.api(
                    "POST",
                    "/api/promotions",
                    "{\"release\":{release},\"environment\":\"{unprotected}\"}",
                    "developer"),
            Endpoint.api("GET", "/api/promotions/waiting", null, "lead"),
            Endpoint.api("POST", "/api/promotions/{id}/approve", null, "lead"),
            Endpoint.api("POST", "/api/promotions/{id}/reject", "{\"reason\":\"no\"}", "lead"),
            Endpoint.api("POST", "/api/promotions/{id}/cancel", null, "developer"),
            Endpoint.api("POST", "/api/freezes", "{}", "lead"),
            Endpoint.api("DELETE", "/api/freezes/{id}", null, "lead"),
            Endpoint.api("PUT", "/api/environments/{unprotected}/lock", "{}", "developer"),
            Endpoint.api("DELETE", "/api/environments/{unprotected}/lock", null, "developer"),
            Endpoint.api("POST", "/api/environments/{unprotected}/scheduled-deploys", "{}", "developer"),
            Endpoint.api("DELETE", "/api/scheduled-deploys/{id}", null, "developer"),
            Endpoint.form("/freezes", "reason=", "lead"),
            Endpoint.form("/freezes/{id}/delete", CONFIRMED, "lead"),
            Endpoint.form("/environments/{unprotected}/lock", "reason=", "developer"),
            Endpoint.form("/environments/{unprotected}/unlock", "", "developer"),
            Endpoint.api("POST", "/api/environments/{unprotected}/runbooks/{name}/runs", "{}", "developer"),
            Endpoint.api("POST", "/api/environments/{unprotected}/snapshots", null, "admin"),
            Endpoint.form("/environments/{unprotected}/runbooks/{name}/run", "confirm=", "developer"),
            Endpoint.page("/environments/{unprotected}/runbooks", "user"),
            Endpoint.api("GET", "/api/audit", null, "admin"),
            Endpoint.api("GET", "/api/subscriptions", null, "admin"),
            Endpoint.api("POST", "/api/subscriptions", "{}", "admin"),
            Endpoint.api("POST", "/api/subscriptions/{id}/pause", null, "admin"),
            Endpoint.api("POST", "/api/subscriptions/{id}/deliveries/{delivery}/redeliver", null, "admin"),
            Endpoint.api("GET", "/api/channels", null, "admin"),
            Endpoint.api("POST", "/api/channels", "{}", "admin"),
            Endpoint.api("POST", "/api/channels/{id}/test", null, "admin"),
            Endpoint.api("POST", "/api/channels/{id}/deliveries/{delivery}/redeliver", null, "admin"),
            Endpoint.form("/users", "username=matrix-new&password=x", "admin"),
            Endpoint.form("/users/{name}", "roles=reviewer", "admin"),
            Endpoint.form("/users/{name}/delete", CONFIRMED, "admin"),
            Endpoint.form("/tokens", "name=", "user"),
            Endpoint.form("/tokens/{id}/revoke", CONFIRMED, "user"),
            Endpoint.form("/secrets", "name=matrix&value=", "admin"),
            Endpoint.form("/secrets/{name}/delete", CONFIRMED, "admin"),
            Endpoint.form("/environments/sync", "", "admin"),
            Endpoint.form("/environments/{unprotected}/deploy", "release={release}", "developer"),
            Endpoint.form("/environments/{protected}/deploy", "release={release}", "nobody"),
            Endpoint.form("/environments/{protected}/rollback", CONFIRMED, "lead"),
            Endpoint.form("/environments/{unprotected}/rollback", CONFIRMED, "developer"),
            Endpoint.form("/environments/{unprotected}/retry-rollback", "", "developer"),
            Endpoint.form("/jobs/{id}/cancel", CONFIRMED, "developer"),
            Endpoint.form("/jobs/{protected-job}/cancel", CONFIRMED, "lead"),
            Endpoint.form("/environments/{someones-clone}/deploy", "release={release}", "admin"),
            Endpoint.form("/environments/{someones-clone}/rollback", CONFIRMED, "admin"),
            Endpoint.form("/environments/{unprotected}/migrations/run", "", "admin"),
            Endpoint.form(
                    "/environments/{unprotected}/migrations/mark", "version=1&applied=true&" + CONFIRMED, "admin"),
            Endpoint.form("/environments/{unprotected}/migrations/baseline", "version=1&" + CONFIRMED, "admin"),
            Endpoint.form("/environments/{unprotected}/drift", "", "developer"),
            Endpoint.form("/releases/{release}/promote", "environment={unprotected}", "developer"),
            Endpoint.form("/promotions/{id}/approve", "", "lead"),
            Endpoint.form("/promotions/{id}/reject", "reason=no", "lead"),
            Endpoint.form("/promotions/{id}/cancel", "", "developer"),
            Endpoint.form("/subscriptions", "url=", "admin"),
            Endpoint.form("/subscriptions/{id}/ping", "", "admin"),
            Endpoint.form("/channels", "kind=slack", "admin"),
            Endpoint.form("/channels/{id}/test", "", "admin"),
            Endpoint.page("/releases/{release}/promote", "developer"),
            Endpoint.page("/approvals", "lead"),
            Endpoint.page("/audit", "admin"),
            Endpoint.page("/secrets", "admin"),
            Endpoint.page("/users", "admin"),
            Endpoint.page("/subscriptions", "admin"),
            Endpoint.page("/channels", "admin"),
            Endpoint.api("POST", "/api/clones", "{\"release\":999999}", "developer"),
            Endpoint.api("POST", "/api/clones/{clone}/deployments", "{\"release\":1}", "developer"),
            Endpoint.api("POST", "/api/clones/{clone}/reset", null, "developer"),
            Endpoint.api("DELETE", "/api/clones/{clone}", null, "developer"),
            Endpoint.form("/clones", "release=999999", "developer"),
            Endpoint.form("/clones/{clone}/deploy", "release=1", "developer"),
            Endpoint.form("/clones/{clone}/reset", CONFIRMED, "developer"),
            Endpoint.form("/clones/{clone}/teardown", CONFIRMED, "developer"));

    private static Long release;
    private static long protectedJob;

    /**
     * Two environments (one protected), someone else's clone, a release and a running job on the protected
     * environment (held by another instance, so it stays running), made once for the whole matrix.
     */
    @BeforeEach
    void defineEnvironments() {
        if (release != null) {
            return;
        }
        TestEnvironments.writeInstant("matrix-open", "dev", 0);
        TestEnvironments.writeInstant("matrix-protected", "production", 1);
        TestEnvironments.writeInstant("dev-matrix-owner", "dev", 0);
        Api.asAdmin().post("/api/environments/sync").then().statusCode(200);
        Api.ensureUser("matrix-owner", "developer");
        release = Jobs.versionOnlyRelease("matrix");
        protectedJob = QuarkusTransaction.requiringNew().call(() -> {
            Clone clone = new Clone();
            clone.owner = "matrix-owner";
            clone.environment = "dev-matrix-owner";
            clone.persist();
            Job job = Job.queue(
                    Environment.findByName("matrix-protected").orElseThrow().id,
                    JobType.DEPLOY,
                    release,
                    "matrix-owner",
                    "held by another instance");
            job.start("another-instance", Instant.now().plus(1, ChronoUnit.HOURS));
            job.persist();
            return job.id;
        });
    }

    @AfterAll
    static void stopTheHeldJob() {
        QuarkusTransaction.requiringNew()
                .run(() -> Job.<Job>findByIdOptional(protectedJob)
                        .filter(job -> job.status() == JobStatus.RUNNING)
                        .ifPresent(job -> job.stopCancelled("matrix over")));
    }

    /** Fills in a documented path or body: a user and secret that do not exist, ids that do not exist, the two environments. */
    static String concrete(String text) {
        return text.replace("{clone}", "dev-matrix-none")
                .replace("{name}", "matrix-none")
                .replace("{id}", "999999")
                .replace("{protected-job}", String.valueOf(protectedJob))
                .replace("{someones-clone}", "dev-matrix-owner")
                .replace("{delivery}", "1")
                .replace("{version}", "1")
                .replace("{unprotected}", "matrix-open")
                .replace("{protected}", "matrix-protected")
                .replace("{release}", String.valueOf(release))
                .replace("{sha256}", "0".repeat(64));
    }

    static Stream<Arguments> matrix() {
        List<Arguments> rows = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            for (String role : ROLES) {
                rows.add(Arguments.of(endpoint.request(), role, endpoint));
            }
        }
        return rows.stream();
    }

    static boolean allowed(String role, String lowestRole) {
        if (role.equals("anonymous") || lowestRole.equals("nobody")) {
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
                    request = request.formParam(
                            field.substring(0, field.indexOf('=')), concrete(field.substring(field.indexOf('=') + 1)));
                }
            }
        } else if (endpoint.body() != null) {
            request = request.body(concrete(endpoint.body()));
        }
        int status =
                request.request(endpoint.method(), concrete(endpoint.path())).statusCode();
        if (allowed(role, endpoint.lowestRole())) {
            assertThat(status).as(name + " as " + role).isNotIn(401, 403, 302);
        } else if (role.equals("anonymous")) {
            assertThat(status).as(name + " as anonymous").isEqualTo(endpoint.form() ? 302 : 401);
        } else {
            assertThat(status).as(name + " as " + role).isEqualTo(403);
        }
    }

    @Test
    void theSecurityGuideListsEveryRowOfThisMatrix() throws Exception {
        String guide = Files.readString(Path.of("docs/security.md"));
        List<String> documented = new ArrayList<>();
        Matcher row =
                Pattern.compile("(?m)^\\| `([A-Z]+ [^`]+)` \\| ([a-z]+) \\|").matcher(guide);
        while (row.find()) {
            documented.add(row.group(1) + " → " + row.group(2));
        }
        List<String> tested = ENDPOINTS.stream()
                .map(e -> e.request() + " → " + e.lowestRole())
                .toList();
        assertThat(documented)
                .as("the permission table of docs/security.md")
                .containsExactlyInAnyOrderElementsOf(tested);
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
