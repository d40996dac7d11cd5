package org.cnx.conveyor.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.support.Api;
import org.cnx.conveyor.support.Events;
import org.cnx.conveyor.support.Subscriber;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WebhookDeliveryTest {

    private static final String SECRET = "subscriber-secret-0123456789";

    @Test
    void aSubscriberThatWasDownReceivesEveryEventAfterwardsInOrderAndSigned() {
        try (Subscriber subscriber = new Subscriber(SECRET).start()) {
            long subscription = Events.subscribe(subscriber.url(), List.of("ordering.*"), SECRET);
            subscriber.stop();
            List<Long> published = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                published.add(Events.publish("ordering", "ordering.item.changed", Map.of("n", i)));
            }
            Wait.until(
                    "a failed attempt while the subscriber is down",
                    Duration.ofSeconds(30),
                    () -> Events.deliveries(subscription).getInt("find { it.attempts > 0 }.attempts") > 0
                            ? true
                            : null);

            subscriber.start();
            Wait.until(
                    "all ten events at the subscriber",
                    Duration.ofSeconds(60),
                    () -> subscriber.received().size() >= 10);

            List<String> expectedIds = published.stream()
                    .map(seq -> Api.asAdmin()
                            .get("/api/events/" + seq)
                            .then()
                            .extract()
                            .jsonPath()
                            .getString("event.id"))
                    .toList();
            assertThat(subscriber.receivedIds()).containsExactlyElementsOf(expectedIds);
            assertThat(subscriber.received())
                    .extracting(r -> JsonPath.from(r.body()).getInt("data.n"))
                    .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(subscriber.rejected()).isZero();
            JsonPath log = Events.deliveries(subscription);
            assertThat(log.getList("status")).containsOnly("delivered").hasSize(10);
            assertThat(log.getInt("find { it.eventSeq == " + published.get(0) + " }.attempts"))
                    .isGreaterThan(1);
            assertThat(log.getList("statusCode", Integer.class)).containsOnly(200);
            Events.unsubscribe(subscription);
        }
    }

    @Test
    void theReceiverRejectsAReplayedOldTimestampAndATamperedBody() {
        Subscriber.Received delivery;
        try (Subscriber subscriber = new Subscriber(SECRET).start()) {
            long subscription = Events.subscribe(subscriber.url(), List.of("replay.*"), SECRET);
            Events.publish("replay", "replay.thing.happened", Map.of("amount", 10));
            Wait.until(
                    "the delivery",
                    Duration.ofSeconds(30),
                    () -> subscriber.received().size() == 1);
            delivery = subscriber.received().get(0);
            Events.unsubscribe(subscription);
        }
        Instant now = Instant.now();
        Duration tolerance = Duration.ofMinutes(5);
        assertThat(Subscriber.verify(delivery.signatureHeader(), delivery.body(), SECRET, tolerance, now))
                .isTrue();
        // The same request captured and replayed ten minutes later: its signed timestamp is too old.
        assertThat(Subscriber.verify(
                        delivery.signatureHeader(),
                        delivery.body(),
                        SECRET,
                        tolerance,
                        now.plus(Duration.ofMinutes(10))))
                .isFalse();
        // A fresh timestamp cannot be put in front of the old signature.
        String restamped = delivery.signatureHeader()
                .replaceFirst("t=\\d+", "t=" + now.plusSeconds(600).getEpochSecond());
        assertThat(Subscriber.verify(restamped, delivery.body(), SECRET, tolerance, now.plusSeconds(600)))
                .isFalse();
        assertThat(Subscriber.verify(
                        delivery.signatureHeader(), delivery.body().replace("10", "99"), SECRET, tolerance, now))
                .isFalse();
        assertThat(Subscriber.verify(
                        delivery.signatureHeader(), delivery.body(), "another-secret-entirely", tolerance, now))
                .isFalse();
    }

    @Test
    void aSlowSubscriberDoesNotDelayAnother() {
        try (Subscriber slow = new Subscriber(SECRET).start();
                Subscriber fast = new Subscriber(SECRET).start()) {
            slow.answerSlowly(Duration.ofSeconds(4));
            long slowSubscription = Events.subscribe(slow.url(), List.of("pace.*"), SECRET);
            long fastSubscription = Events.subscribe(fast.url(), List.of("pace.*"), SECRET);
            for (int i = 0; i < 5; i++) {
                Events.publish("pace", "pace.tick", Map.of("n", i));
            }
            Wait.until(
                    "the fast subscriber to get all five",
                    Duration.ofSeconds(30),
                    () -> fast.received().size() == 5);
            // The slow one is still on its first or second event: its waits did not hold the other back.
            assertThat(slow.received().size()).isLessThan(5);
            Events.unsubscribe(slowSubscription);
            Events.unsubscribe(fastSubscription);
        }
    }

    @Test
    void pausedSubscriptionsWaitAndResumeWhereTheyStopped() {
        try (Subscriber subscriber = new Subscriber(SECRET).start()) {
            long subscription = Events.subscribe(subscriber.url(), List.of("pausing.*"), SECRET);
            Api.asAdmin()
                    .post("/api/subscriptions/" + subscription + "/pause")
                    .then()
                    .statusCode(200);
            // A second pause is an illegal transition: refused as a conflict, like every other one.
            Api.asAdmin()
                    .post("/api/subscriptions/" + subscription + "/pause")
                    .then()
                    .statusCode(409)
                    .body(
                            "detail",
                            org.hamcrest.Matchers.equalTo(
                                    "subscription " + subscription + " cannot be paused: it is paused"));
            Events.publish("pausing", "pausing.one", Map.of());
            Events.publish("pausing", "pausing.two", Map.of());
            Api.asAdmin()
                    .post("/api/subscriptions/" + subscription + "/ping")
                    .then()
                    .statusCode(200)
                    .body("delivered", org.hamcrest.Matchers.equalTo(true))
                    .body("statusCode", org.hamcrest.Matchers.equalTo(200));
            assertThat(subscriber.received())
                    .extracting(Subscriber.Received::type)
                    .containsExactly("conveyor.ping");

            Api.asAdmin()
                    .post("/api/subscriptions/" + subscription + "/resume")
                    .then()
                    .statusCode(200);
            Wait.until(
                    "both events after the resume",
                    Duration.ofSeconds(30),
                    () -> subscriber.received().size() == 3);
            assertThat(subscriber.received())
                    .extracting(Subscriber.Received::type)
                    .containsExactly("conveyor.ping", "pausing.one", "pausing.two");
            Events.unsubscribe(subscription);
        }
    }

    @Test
    void subscriptionsAreValidatedAndNeverShowTheirSecret() {
        Api.asAdmin()
                .body(Map.of("url", "ftp://example.org/x", "types", List.of("*"), "secret", SECRET))
                .post("/api/subscriptions")
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.startsWith("url: expected an absolute http:// or https:// URL"));
        Api.asAdmin()
                .body(Map.of("url", "http://127.0.0.1:9/x", "types", List.of("deploy.**"), "secret", SECRET))
                .post("/api/subscriptions")
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.startsWith("types:"));
        Api.asAdmin()
                .body(Map.of("url", "http://127.0.0.1:9/x", "types", List.of("*"), "secret", "short"))
                .post("/api/subscriptions")
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.startsWith("secret:"));
        long id = Events.subscribe("http://127.0.0.1:9/x", List.of("deploy.*"), SECRET);
        String listed = Api.asAdmin()
                .get("/api/subscriptions")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(listed).doesNotContain(SECRET).contains("\"deploy.*\"");
        Events.unsubscribe(id);
    }
}
