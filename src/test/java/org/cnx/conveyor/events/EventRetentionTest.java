package org.cnx.conveyor.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Events;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EventRetentionTest {

    @Inject
    EventSweeper sweeper;

    @Inject
    EntityManager db;

    @Test
    void anEventPastItsRetentionIsKeptUntilEverySubscriptionTookItThenRemoved() {
        long subscription =
                Events.subscribe("http://127.0.0.1:9/never-called", List.of("retention.*"), "retention-secret-0123");
        Api.asAdmin()
                .post("/api/subscriptions/" + subscription + "/pause")
                .then()
                .statusCode(200);
        long old = Events.publish("retention", "retention.old", Map.of());
        QuarkusTransaction.requiringNew()
                .run(() -> db.createNativeQuery(
                                "UPDATE events SET created_at = now() - interval '30 days' WHERE seq = ?1")
                        .setParameter(1, old)
                        .executeUpdate());
        // The Kafka relay (on in every test run) must have taken it too.
        Wait.until(
                "the Kafka relay past the event",
                Duration.ofSeconds(60),
                () -> QuarkusTransaction.requiringNew()
                        .call(() -> ((Number) db.createNativeQuery(
                                                        "SELECT cursor_seq FROM event_relays WHERE name = 'kafka'")
                                                .getSingleResult())
                                        .longValue()
                                >= old));

        sweeper.sweep();
        Api.asAdmin().get("/api/events/" + old).then().statusCode(200);

        Events.unsubscribe(subscription);
        sweeper.sweep();
        Api.asAdmin().get("/api/events/" + old).then().statusCode(404);
        assertThat(Events.after(old - 1, "retention.*").getList("seq")).isEmpty();
    }
}
