package org.cnx.conveyor.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import org.cnx.conveyor.support.Events;
import org.cnx.conveyor.support.Subscriber;
import org.cnx.conveyor.support.Wait;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions taking the same events share one copy of each event (read from the outbox once, its body encoded
 * once), and each subscriber still gets the body signed with its own secret, in the outbox's order.
 */
@QuarkusTest
class SharedEventBodiesTest {

    private static final String SECRET_A = "shared-bodies-secret-a-0123456789";
    private static final String SECRET_B = "shared-bodies-secret-b-9876543210";
    /** Data with characters outside ASCII: the shared bytes are the body's UTF-8, as each signature covers. */
    private static final IntFunction<Map<String, Object>> NON_ASCII = i -> Map.of("n", i, "text", "é ü ✓");

    @Inject
    DeliveryQueue queue;

    @Inject
    SubscriptionSecrets secrets;

    @Test
    void twoSubscriptionsShareEachEventsBytesAndEachSubscriberVerifiesThemWithItsOwnSecret() {
        try (Subscriber a = new Subscriber(SECRET_A).start();
                Subscriber b = new Subscriber(SECRET_B).start()) {
            long first = Events.subscribe(a.url(), List.of("shared.body.*"), SECRET_A);
            long second = Events.subscribe(b.url(), List.of("shared.body.*"), SECRET_B);
            String owner = "test-" + UUID.randomUUID();
            Outbox.hold(first, owner);
            Outbox.hold(second, owner);
            List<String> ids = Outbox.publish("shared", "shared.body.tick", 5, NON_ASCII);

            DeliveryQueue.Run one = queue.next(first, owner, 50);
            DeliveryQueue.Run other = queue.next(second, owner, 50);
            assertThat(one.deliveries()).extracting(NextDelivery::eventId).containsExactlyElementsOf(ids);
            assertThat(other.deliveries()).extracting(NextDelivery::eventId).containsExactlyElementsOf(ids);
            for (int i = 0; i < ids.size(); i++) {
                NextDelivery mine = one.deliveries().get(i);
                assertThat(mine.bytes())
                        .as("one copy of the event for both subscriptions")
                        .isSameAs(other.deliveries().get(i).bytes())
                        .isEqualTo(mine.body().getBytes(StandardCharsets.UTF_8));
                assertThat(mine.secret()).isEqualTo(SECRET_A);
                assertThat(other.deliveries().get(i).secret()).isEqualTo(SECRET_B);
            }

            // Handed back unrecorded, as after a crash: the dispatcher sends both runs for real.
            release(first);
            release(second);
            Wait.until(
                    "every event at both subscribers",
                    Duration.ofSeconds(30),
                    () -> a.receivedIds().size() >= 5 && b.receivedIds().size() >= 5);
            assertThat(a.receivedIds()).containsExactlyElementsOf(ids);
            assertThat(b.receivedIds()).containsExactlyElementsOf(ids);
            assertThat(a.rejected()).as("signatures A refused").isZero();
            assertThat(b.rejected()).as("signatures B refused").isZero();
            for (int i = 0; i < ids.size(); i++) {
                Subscriber.Received atA = a.received().get(i);
                Subscriber.Received atB = b.received().get(i);
                assertThat(atA.body()).isEqualTo(atB.body());
                assertThat(atA.signatureHeader()).isNotEqualTo(atB.signatureHeader());
                // Each signature holds only with its own subscription's secret.
                assertThat(Subscriber.verify(
                                atA.signatureHeader(), atA.body(), SECRET_B, Duration.ofMinutes(5), Instant.now()))
                        .isFalse();
                assertThat(Subscriber.verify(
                                atB.signatureHeader(), atB.body(), SECRET_A, Duration.ofMinutes(5), Instant.now()))
                        .isFalse();
            }
            Events.unsubscribe(first);
            Events.unsubscribe(second);
        }
    }

    @Test
    void aSubscriptionThatFollowsAnotherReadsTheEventsPublishedSinceItsLastScan() {
        long subscription = Events.subscribe("http://127.0.0.1:9/hook", List.of("shared.follow.*"), SECRET_A);
        String owner = "test-" + UUID.randomUUID();
        Outbox.hold(subscription, owner);
        List<String> before = Outbox.publish("shared", "shared.follow.tick", 3, NON_ASCII);
        DeliveryQueue.Run first = queue.next(subscription, owner, 50);
        assertThat(first.deliveries()).extracting(NextDelivery::eventId).containsExactlyElementsOf(before);
        List<String> later = Outbox.publish("shared", "shared.follow.tick", 4, NON_ASCII);
        // The same cursor again (the first run was not recorded): the remembered events, then the outbox's new ones.
        DeliveryQueue.Run again = queue.next(subscription, owner, 50);
        assertThat(again.deliveries())
                .extracting(NextDelivery::eventId)
                .containsExactlyElementsOf(concat(before, later));
        Events.unsubscribe(subscription);
    }

    @Test
    void aDeletedSubscriptionsOpenedSecretIsForgottenAndTheOthersAreKept() {
        long kept = Events.subscribe("http://127.0.0.1:9/hook", List.of("shared.forget.*"), SECRET_A);
        long deleted = Events.subscribe("http://127.0.0.1:9/hook", List.of("shared.forget.*"), SECRET_B);
        String owner = "test-" + UUID.randomUUID();
        Outbox.hold(kept, owner);
        Outbox.hold(deleted, owner);
        Outbox.publish("shared", "shared.forget.tick", 1, NON_ASCII);
        assertThat(queue.next(kept, owner, 10).deliveries()).hasSize(1);
        assertThat(queue.next(deleted, owner, 10).deliveries()).hasSize(1);
        assertThat(secrets.remembers(kept) && secrets.remembers(deleted)).isTrue();

        Events.unsubscribe(deleted);
        assertThat(secrets.forgetDeleted()).contains(kept).doesNotContain(deleted);
        assertThat(secrets.remembers(deleted))
                .as("the deleted subscription's secret")
                .isFalse();
        assertThat(secrets.remembers(kept))
                .as("the other subscription's secret")
                .isTrue();
        Events.unsubscribe(kept);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static void release(long subscription) {
        QuarkusTransaction.requiringNew()
                .run(() -> Subscription.update("leaseOwner = null, leaseExpiresAt = null where id = ?1", subscription));
    }
}
