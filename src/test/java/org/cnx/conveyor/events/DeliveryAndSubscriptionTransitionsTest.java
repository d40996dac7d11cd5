package org.cnx.conveyor.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cnx.conveyor.common.IllegalTransition;
import org.junit.jupiter.api.Test;

/** Every move of a webhook delivery's and a subscription's lifecycle, without a database or a subscriber. */
class DeliveryAndSubscriptionTransitionsTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Policy POLICY = new Policy(Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofMinutes(10));

    @Test
    void aNewDeliveryIsPending() {
        assertThat(pending().status()).isEqualTo(Delivery.Status.PENDING);
    }

    @Test
    void aSuccessfulAttemptStampsTheAttemptAndTheEnd() {
        Delivery delivery = pending();
        delivery.succeed(answered(T0, 204));
        assertThat(delivery.status()).isEqualTo(Delivery.Status.DELIVERED);
        assertThat(delivery.attempts).isEqualTo(1);
        assertThat(delivery.firstAttemptAt).isEqualTo(T0);
        assertThat(delivery.lastAttemptAt).isEqualTo(T0);
        assertThat(delivery.finishedAt).isEqualTo(T0);
        assertThat(delivery.nextAttemptAt).isNull();
        assertThat(delivery.statusCode).isEqualTo(204);
    }

    @Test
    void aFailedAttemptStaysPendingWithItsNextAttemptStamped() {
        Delivery delivery = pending();
        Optional<Instant> next = delivery.fail(answered(T0, 500), POLICY);
        assertThat(delivery.status()).isEqualTo(Delivery.Status.PENDING);
        assertThat(next).contains(T0.plusSeconds(1));
        assertThat(delivery.nextAttemptAt).isEqualTo(T0.plusSeconds(1));
        assertThat(delivery.finishedAt).isNull();
    }

    @Test
    void aFailedAttemptAfterTheRetryPeriodDeadLettersTheDelivery() {
        Delivery delivery = pending();
        delivery.fail(answered(T0, 500), POLICY);
        Instant late = T0.plus(Duration.ofHours(1));
        assertThat(delivery.fail(answered(late, 503), POLICY)).isEmpty();
        assertThat(delivery.status()).isEqualTo(Delivery.Status.DEAD);
        assertThat(delivery.finishedAt).isEqualTo(late);
        assertThat(delivery.nextAttemptAt).isNull();
        assertThat(delivery.attempts).isEqualTo(2);
    }

    @Test
    void redeliveringADeliveredOrDeadDeliveryStartsItAfresh() {
        for (Delivery delivery : List.of(delivered(), dead())) {
            delivery.redeliver();
            assertThat(delivery.status()).isEqualTo(Delivery.Status.PENDING);
            assertThat(delivery.attempts).isZero();
            assertThat(delivery.firstAttemptAt).isNull();
            assertThat(delivery.nextAttemptAt).isNull();
            assertThat(delivery.finishedAt).isNull();
        }
    }

    @Test
    void aPendingDeliveryIsNotRedelivered() {
        Delivery delivery = pending();
        delivery.fail(answered(T0, 500), POLICY);
        assertThatThrownBy(delivery::redeliver)
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("delivery 9 cannot be redelivered (it will be retried on its own): it is pending");
        assertThat(delivery.attempts).isEqualTo(1);
    }

    @Test
    void aFinishedDeliveryTakesNoMoreAttempts() {
        for (Delivery delivery : List.of(delivered(), dead())) {
            Delivery.Status status = delivery.status();
            int attempts = delivery.attempts;
            assertThatThrownBy(() -> delivery.succeed(answered(T0, 200))).isInstanceOf(IllegalTransition.class);
            assertThatThrownBy(() -> delivery.fail(answered(T0, 500), POLICY))
                    .isInstanceOf(IllegalTransition.class)
                    .hasMessageEndingWith("it is " + status.id());
            assertThat(delivery.status()).isEqualTo(status);
            assertThat(delivery.attempts).isEqualTo(attempts);
        }
    }

    @Test
    void deliveryStatusesAreReadFromTheirWordsOnly() {
        assertThat(Delivery.Status.parse("dead")).contains(Delivery.Status.DEAD);
        assertThat(Delivery.Status.parse("DEAD")).isEmpty();
        assertThat(new Delivery.Status.Stored().convertToDatabaseColumn(Delivery.Status.DELIVERED))
                .isEqualTo("delivered");
    }

    @Test
    void pausingAnActiveSubscriptionStampsTheChange() {
        Subscription subscription = active();
        Instant before = Instant.now();
        subscription.pause();
        assertThat(subscription.status()).isEqualTo(Subscription.Status.PAUSED);
        assertThat(subscription.updatedAt).isBetween(before, Instant.now());
    }

    @Test
    void resumingAPausedSubscriptionTriesAWaitingRetryAtOnce() {
        Subscription subscription = active();
        subscription.nextAttemptAt = T0;
        subscription.pause();
        subscription.resume();
        assertThat(subscription.status()).isEqualTo(Subscription.Status.ACTIVE);
        assertThat(subscription.nextAttemptAt).isNull();
    }

    @Test
    void anActiveSubscriptionIsNotResumedNorAPausedOnePaused() {
        Subscription subscription = active();
        subscription.nextAttemptAt = T0;
        assertThatThrownBy(subscription::resume)
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("subscription 3 cannot be resumed: it is active");
        assertThat(subscription.nextAttemptAt).isEqualTo(T0);
        subscription.pause();
        assertThatThrownBy(subscription::pause)
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("subscription 3 cannot be paused: it is paused");
        assertThat(subscription.status()).isEqualTo(Subscription.Status.PAUSED);
    }

    private static Delivery pending() {
        Delivery delivery = Delivery.of(3, 100);
        delivery.id = 9L;
        return delivery;
    }

    private static Delivery delivered() {
        Delivery delivery = pending();
        delivery.succeed(answered(T0, 200));
        return delivery;
    }

    private static Delivery dead() {
        Delivery delivery = pending();
        delivery.fail(answered(T0, 500), POLICY);
        delivery.fail(answered(T0.plus(Duration.ofHours(2)), 500), POLICY);
        return delivery;
    }

    private static Subscription active() {
        Subscription subscription = new Subscription();
        subscription.id = 3L;
        return subscription;
    }

    private static WebhookSender.Outcome answered(Instant at, int status) {
        return new WebhookSender.Outcome(at, status, "", 5, status < 300 ? null : "HTTP " + status);
    }

    /** The retry policy of the webhook settings; the rest of them play no part in a delivery's transitions. */
    private record Policy(Duration retryPeriod, Duration initialBackoff, Duration maxBackoff)
            implements EventsConfig.Webhooks {
        @Override
        public int concurrency() {
            return 1;
        }

        @Override
        public Duration connectTimeout() {
            return Duration.ofSeconds(1);
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(1);
        }

        @Override
        public int pipelining() {
            return 1;
        }

        @Override
        public int batch() {
            return 1;
        }

        @Override
        public Duration linger() {
            return Duration.ZERO;
        }

        @Override
        public Optional<List<String>> allowedHosts() {
            return Optional.empty();
        }
    }
}
