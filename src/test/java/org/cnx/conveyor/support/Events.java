package org.cnx.conveyor.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Publishes service events and manages subscriptions through the API, as a cnx service and an admin would. */
public final class Events {

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private Events() {}

    /** An API token of the service user with that name (created with the service role on first use). */
    public static String serviceToken(String service) {
        return TOKENS.computeIfAbsent(service, name -> {
            Api.ensureUser(name, "service");
            return Api.as(name, Api.USER_PASSWORD)
                    .body(Map.of("name", "events-" + UUID.randomUUID()))
                    .post("/api/tokens")
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath()
                    .getString("token");
        });
    }

    /** Publishes a service event; returns its outbox seq. */
    public static long publish(String service, String type, Map<String, ?> data) {
        return publish(service, type, null, data);
    }

    public static long publish(String service, String type, String environment, Map<String, ?> data) {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("source", "/cnx/" + service);
        event.put("type", type);
        if (environment != null) {
            event.put("environment", environment);
        }
        event.put("data", data);
        return given().auth()
                .oauth2(serviceToken(service))
                .contentType("application/cloudevents+json")
                .accept(ContentType.JSON)
                .body(event)
                .post("/api/events")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("seq");
    }

    public static long subscribe(String url, List<String> types, String secret) {
        return Api.asAdmin()
                .body(Map.of("url", url, "types", types, "environments", List.of(), "secret", secret))
                .post("/api/subscriptions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    public static JsonPath deliveries(long subscription) {
        return Api.asAdmin()
                .get("/api/subscriptions/" + subscription + "/deliveries?limit=1000")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    public static void unsubscribe(long subscription) {
        Api.asAdmin().delete("/api/subscriptions/" + subscription).then().statusCode(204);
    }

    /** Outbox events after a seq whose type matches the patterns, as the API lists them. */
    public static JsonPath after(long seq, String types) {
        return Api.asAdmin()
                .get("/api/events?after=" + seq + "&type=" + types + "&limit=1000")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
