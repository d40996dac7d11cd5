package org.cnx.conveyor.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Events;
import org.cnx.conveyor.support.Subscriber;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(DeadLetterTest.ShortRetries.class)
class DeadLetterTest {

    private static final String SECRET = "dead-letter-secret-0123456789";

    /** Retries for three seconds instead of a day. */
    public static class ShortRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "conveyor.events.webhooks.retry-period", "3s", "conveyor.events.webhooks.initial-backoff", "200ms");
        }
    }

    @Test
    void aDeliveryIsDeadLetteredAfterTheRetryPeriodThenTheNextOneGoesAndRedeliverDeliversIt() {
        try (Subscriber subscriber = new Subscriber(SECRET).start()) {
            subscriber.answer(503);
            long subscription = Events.subscribe(subscriber.url(), List.of("letters.*"), SECRET);
            long first = Events.publish("letters", "letters.first", Map.of());
            long second = Events.publish("letters", "letters.second", Map.of());

            JsonPath log = Wait.until("both deliveries dead-lettered", Duration.ofSeconds(60), () -> {
                JsonPath deliveries = Events.deliveries(subscription);
                return deliveries.getList("status").equals(List.of("dead", "dead")) ? deliveries : null;
            });
            String firstPath = "find { it.eventSeq == " + first + " }";
            String secondPath = "find { it.eventSeq == " + second + " }";
            assertThat(log.getInt(firstPath + ".attempts")).isGreaterThan(2);
            assertThat(log.getInt(firstPath + ".statusCode")).isEqualTo(503);
            // In order: the second event was not tried before the first was given up on.
            assertThat(Instant.parse(log.getString(secondPath + ".firstAttemptAt")))
                    .isAfterOrEqualTo(Instant.parse(log.getString(firstPath + ".finishedAt")));
            assertThat(subscriber.received()).isEmpty();

            subscriber.answer(200);
            long firstDelivery = log.getLong(firstPath + ".id");
            Api.asAdmin()
                    .post("/api/subscriptions/" + subscription + "/deliveries/" + firstDelivery + "/redeliver")
                    .then()
                    .statusCode(202)
                    .body("status", org.hamcrest.Matchers.equalTo("pending"));
            Wait.until(
                    "the redelivered event at the subscriber",
                    Duration.ofSeconds(30),
                    () -> subscriber.received().size() == 1);
            assertThat(subscriber.received())
                    .extracting(Subscriber.Received::type)
                    .containsExactly("letters.first");
            JsonPath after = Events.deliveries(subscription);
            assertThat(after.getString(firstPath + ".status")).isEqualTo("delivered");
            assertThat(after.getString(secondPath + ".status")).isEqualTo("dead");
            Events.unsubscribe(subscription);
        }
    }
}
