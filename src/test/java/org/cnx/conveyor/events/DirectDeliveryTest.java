package org.cnx.conveyor.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cnx.conveyor.support.Events;
import org.cnx.conveyor.support.Subscriber;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.Test;

/**
 * Deliveries sent straight from the outbox (no row until the run is recorded): a crash before the record sends the
 * run again, a failure in the middle leaves the rest to follow in order, and the dispatcher keeps the outbox's order.
 * The tests hold a subscription's lease under a name of their own, as another instance would, so the running
 * dispatcher leaves it alone until the lease runs out.
 */
@QuarkusTest
class DirectDeliveryTest {

    private static final String SECRET = "direct-delivery-secret-0123456789";

    @Inject
    DeliveryQueue queue;

    @Inject
    WebhookSender sender;

    @Test
    void aCrashBetweenSendingARunAndRecordingItSendsTheRunAgainInOrder() {
        try (Subscriber subscriber = new Subscriber(SECRET).start()) {
            long subscription = Events.subscribe(subscriber.url(), List.of("direct.crash.*"), SECRET);
            String crashed = "crashed-" + UUID.randomUUID();
            Outbox.hold(subscription, crashed);
            List<String> ids = Outbox.publish("direct", "direct.crash.tick", 5, i -> Map.of("n", i));

            DeliveryQueue.Run run = queue.next(subscription, crashed, 50);
            assertThat(run.scanned()).isNotNull();
            assertThat(run.deliveries()).extracting(NextDelivery::eventId).containsExactlyElementsOf(ids);
            List<DeliveryQueue.Attempt> made = new ArrayList<>();
            for (NextDelivery next : run.deliveries().subList(0, 3)) {
                made.add(new DeliveryQueue.Attempt(
                        next,
                        sender.send(
                                next.url(),
                                next.secret(),
                                Long.toString(next.deliveryId()),
                                next.eventId(),
                                next.body())));
            }
            // The instance dies here: three events were received, nothing was recorded.
            assertThat(subscriber.receivedIds()).containsExactlyElementsOf(ids.subList(0, 3));
            assertThat(Events.deliveries(subscription).getList("id")).isEmpty();

            expireLease(subscription);
            Wait.until(
                    "the run sent again by the dispatcher once the lease ran out",
                    Duration.ofSeconds(30),
                    () -> subscriber.receivedIds().size() == 8);
            List<String> expected = new ArrayList<>(ids.subList(0, 3));
            expected.addAll(ids);
            assertThat(subscriber.receivedIds()).containsExactlyElementsOf(expected);

            Wait.until(
                    "the run recorded by the dispatcher",
                    Duration.ofSeconds(30),
                    () -> Events.deliveries(subscription).getList("id").size() == 5);
            // The dead instance's record, arriving late, finds its lease taken over and writes nothing.
            queue.record(subscription, run, made, crashed);
            JsonPath log = Events.deliveries(subscription);
            assertThat(log.getList("eventId")).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(log.getList("status")).containsOnly("delivered");
            assertThat(log.getList("attempts", Integer.class)).containsOnly(1);
            Events.unsubscribe(subscription);
        }
    }

    @Test
    void aFailureInTheMiddleOfARunLeavesItPendingAndTheRestFollowsInOrderAfterIt() {
        long subscription = Events.subscribe("http://127.0.0.1:9/hook", List.of("direct.middle.*"), SECRET);
        String owner = "test-" + UUID.randomUUID();
        Outbox.hold(subscription, owner);
        List<String> ids = Outbox.publish("direct", "direct.middle.tick", 6, i -> Map.of("n", i));

        DeliveryQueue.Run run = queue.next(subscription, owner, 50);
        assertThat(run.deliveries()).hasSize(6);
        List<DeliveryQueue.Attempt> attempts = List.of(
                new DeliveryQueue.Attempt(run.deliveries().get(0), answered(200)),
                new DeliveryQueue.Attempt(run.deliveries().get(1), answered(200)),
                new DeliveryQueue.Attempt(run.deliveries().get(2), answered(503)));
        queue.record(subscription, run, attempts, owner);

        JsonPath log = Events.deliveries(subscription);
        assertThat(log.getList("eventId")).containsExactlyInAnyOrderElementsOf(ids.subList(0, 3));
        String failed = "find { it.eventId == '" + ids.get(2) + "' }";
        assertThat(log.getString(failed + ".status")).isEqualTo("pending");
        assertThat(log.getInt(failed + ".statusCode")).isEqualTo(503);
        assertThat(log.getLong(failed + ".id"))
                .isEqualTo(run.deliveries().get(2).deliveryId());
        Subscription held = subscription(subscription);
        assertThat(held.cursorSeq).isEqualTo(run.deliveries().get(2).eventSeq());
        assertThat(held.nextAttemptAt).isAfter(Instant.now().minusSeconds(1));
        assertThat(queue.next(subscription, owner, 50).isEmpty())
                .as("nothing goes while the failed delivery waits for its retry")
                .isTrue();

        retryNow(subscription);
        DeliveryQueue.Run retry = queue.next(subscription, owner, 50);
        assertThat(retry.scanned()).isNull();
        assertThat(retry.deliveries())
                .extracting(NextDelivery::deliveryId)
                .containsExactly(run.deliveries().get(2).deliveryId());
        queue.record(
                subscription,
                retry,
                List.of(new DeliveryQueue.Attempt(retry.deliveries().get(0), answered(200))),
                owner);

        DeliveryQueue.Run rest = queue.next(subscription, owner, 50);
        assertThat(rest.deliveries()).extracting(NextDelivery::eventId).containsExactlyElementsOf(ids.subList(3, 6));
        queue.record(
                subscription,
                rest,
                rest.deliveries().stream()
                        .map(next -> new DeliveryQueue.Attempt(next, answered(200)))
                        .toList(),
                owner);
        JsonPath after = Events.deliveries(subscription);
        assertThat(after.getList("eventId")).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(after.getList("status")).containsOnly("delivered");
        assertThat(after.getInt(failed + ".attempts")).isEqualTo(2);
        assertThat(queue.next(subscription, owner, 50).isEmpty()).isTrue();
        Events.unsubscribe(subscription);
    }

    @Test
    void aRecordedRunKeepsEachAttemptsTimesToTheMicrosecond() {
        long subscription = Events.subscribe("http://127.0.0.1:9/hook", List.of("direct.times.*"), SECRET);
        String owner = "test-" + UUID.randomUUID();
        Outbox.hold(subscription, owner);
        Outbox.publish("direct", "direct.times.tick", 2, i -> Map.of("n", i));
        DeliveryQueue.Run run = queue.next(subscription, owner, 50);
        Instant delivered = Instant.parse("2026-11-30T01:02:03.123456789Z");
        Instant failed = Instant.now().minusNanos(1_500);
        queue.record(
                subscription,
                run,
                List.of(
                        new DeliveryQueue.Attempt(
                                run.deliveries().get(0), new WebhookSender.Outcome(delivered, 200, "", 1, null)),
                        new DeliveryQueue.Attempt(
                                run.deliveries().get(1), new WebhookSender.Outcome(failed, 503, "", 1, null))),
                owner);
        List<Delivery> rows = QuarkusTransaction.requiringNew()
                .call(() -> Delivery.<Delivery>list("subscriptionId = ?1 order by eventSeq", subscription));
        // Rounded to the microsecond, as PostgreSQL stores them.
        assertThat(rows.get(0).firstAttemptAt).isEqualTo(Instant.parse("2026-11-30T01:02:03.123457Z"));
        assertThat(rows.get(0).finishedAt).isEqualTo(rows.get(0).firstAttemptAt);
        Instant failedAt = Instant.ofEpochSecond(0, DirectDeliveries.micros(failed) * 1_000);
        assertThat(rows.get(1).lastAttemptAt).isEqualTo(failedAt);
        assertThat(rows.get(1).finishedAt).isNull();
        assertThat(rows.get(1).nextAttemptAt).isEqualTo(failedAt.plusSeconds(1));
        Events.unsubscribe(subscription);
    }

    @Test
    void theDispatcherDeliversABatchOfEventsInTheOutboxsOrderWithOneRowEach() {
        try (Subscriber subscriber = new Subscriber(SECRET).start()) {
            long subscription = Events.subscribe(subscriber.url(), List.of("direct.order.*"), SECRET);
            List<String> ids = Outbox.publish("direct", "direct.order.tick", 120, i -> Map.of("n", i));
            Wait.until(
                    "all 120 events at the subscriber",
                    Duration.ofSeconds(60),
                    () -> subscriber.receivedIds().size() >= 120);
            assertThat(subscriber.receivedIds()).containsExactlyElementsOf(ids);
            JsonPath log = Wait.until("every delivery recorded", Duration.ofSeconds(30), () -> {
                JsonPath deliveries = Events.deliveries(subscription);
                return deliveries.getList("id").size() == 120 ? deliveries : null;
            });
            assertThat(log.getList("status")).containsOnly("delivered");
            assertThat(log.getList("statusCode", Integer.class)).containsOnly(200);
            Events.unsubscribe(subscription);
        }
    }

    @Test
    void aFailedDeliveryInAPipelinedRunIsRetriedAndTheEventsBehindItAreSentAgainAfterItInOrder() {
        try (Subscriber subscriber = new Subscriber(SECRET).start()) {
            long subscription = Events.subscribe(subscriber.url(), List.of("direct.pipelined.*"), SECRET);
            String owner = "test-" + UUID.randomUUID();
            Outbox.hold(subscription, owner);
            List<String> ids = Outbox.publish("direct", "direct.pipelined.tick", 6, i -> Map.of("n", i));
            subscriber.failOnce(ids.get(2), 503);
            QuarkusTransaction.requiringNew()
                    .run(() -> Subscription.update(
                            "leaseOwner = null, leaseExpiresAt = null where id = ?1", subscription));

            Wait.until(
                    "the failed event delivered on its retry, and the rest after it",
                    Duration.ofSeconds(30),
                    () -> subscriber.receivedIds().lastIndexOf(ids.get(2)) >= 0
                            && subscriber.receivedIds().size()
                                            - subscriber.receivedIds().lastIndexOf(ids.get(2))
                                    >= 4);
            List<String> received = subscriber.receivedIds();
            assertThat(received.subList(0, 2)).containsExactlyElementsOf(ids.subList(0, 2));
            // Whatever was pipelined behind the failure came again after its retry, in order.
            assertThat(received.subList(received.lastIndexOf(ids.get(2)), received.size()))
                    .containsExactlyElementsOf(ids.subList(2, 6));
            JsonPath log = Wait.until("every delivery recorded", Duration.ofSeconds(30), () -> {
                JsonPath deliveries = Events.deliveries(subscription);
                return deliveries.getList("id").size() == 6 ? deliveries : null;
            });
            assertThat(log.getList("status")).containsOnly("delivered");
            assertThat(log.getInt("find { it.eventId == '" + ids.get(2) + "' }.attempts"))
                    .isEqualTo(2);
            assertThat(log.getInt("find { it.eventId == '" + ids.get(5) + "' }.attempts"))
                    .isEqualTo(1);
            Events.unsubscribe(subscription);
        }
    }

    private static WebhookSender.Outcome answered(int status) {
        return new WebhookSender.Outcome(Instant.now(), status, "", 1, null);
    }

    /** What a crash looks like to the others once its lease has run out. */
    private static void expireLease(long subscription) {
        QuarkusTransaction.requiringNew()
                .run(() -> Subscription.update(
                        "leaseExpiresAt = ?1 where id = ?2", Instant.now().minusSeconds(1), subscription));
    }

    private static void retryNow(long subscription) {
        QuarkusTransaction.requiringNew()
                .run(() -> Subscription.update("nextAttemptAt = null where id = ?1", subscription));
    }

    private static Subscription subscription(long id) {
        return QuarkusTransaction.requiringNew().call(() -> Subscription.<Subscription>findById(id));
    }
}
