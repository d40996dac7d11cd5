package org.cnx.conveyor.events;

import static io.restassured.RestAssured.given;

import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.cnx.conveyor.support.Events;
import org.cnx.conveyor.support.Wait;

/** What the dispatcher's tests do to the outbox and to a subscription's lease, as another instance would. */
final class Outbox {

    private Outbox() {}

    /**
     * Publishes n events of that type in one batch as service user {@code service} (source {@code /cnx/<service>}),
     * event i carrying {@code data.apply(i)}; their CloudEvents ids in the outbox's order.
     */
    static List<String> publish(String service, String type, int n, IntFunction<Map<String, Object>> data) {
        List<String> ids = IntStream.range(0, n)
                .mapToObj(i -> UUID.randomUUID().toString())
                .toList();
        List<Map<String, Object>> events = IntStream.range(0, n)
                .mapToObj(i -> Map.<String, Object>of(
                        "specversion",
                        "1.0",
                        "id",
                        ids.get(i),
                        "source",
                        "/cnx/" + service,
                        "type",
                        type,
                        "data",
                        data.apply(i)))
                .toList();
        given().auth()
                .oauth2(Events.serviceToken(service))
                .contentType("application/cloudevents-batch+json; charset=utf-8")
                .body(events)
                .post("/api/events/batch")
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200);
        return ids;
    }

    /** Takes the subscription's lease under {@code owner} for an hour, once the dispatcher does not hold it. */
    static void hold(long subscription, String owner) {
        Wait.until(
                "the subscription's lease",
                Duration.ofSeconds(30),
                () -> QuarkusTransaction.requiringNew()
                                .call(() -> Subscription.update(
                                        "leaseOwner = ?1, leaseExpiresAt = ?2 where id = ?3"
                                                + " and (leaseOwner is null or leaseExpiresAt < ?4)",
                                        owner,
                                        Instant.now().plus(Duration.ofHours(1)),
                                        subscription,
                                        Instant.now()))
                        == 1);
    }
}
