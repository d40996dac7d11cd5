package org.cnx.conveyor.events;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cnx.conveyor.common.IllegalTransition;
import org.cnx.conveyor.common.StatusColumn;

/** One event for one subscription, with its attempts: the delivery log's row. */
@Entity
@Table(name = "deliveries")
public class Delivery extends PanacheEntityBase {

    /** Where a delivery stands; only the transition methods below move it. */
    public enum Status {
        PENDING,
        DELIVERED,
        /** Given up on after the retry period: dead-lettered, until someone redelivers it. */
        DEAD;

        /** The word stored in {@code deliveries.status} and shown on pages and in the API. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return id();
        }

        /** The status named by {@code id}, if it names one. */
        public static Optional<Status> parse(String id) {
            return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
        }

        /** {@code deliveries.status} holds {@link #id()}. */
        @Converter
        public static final class Stored extends StatusColumn<Status> {
            public Stored() {
                super(Status.class, Status::id);
            }
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "subscription_id", nullable = false)
    public Long subscriptionId;

    @Column(name = "event_seq", nullable = false)
    public Long eventSeq;

    @Column(nullable = false)
    @Convert(converter = Status.Stored.class)
    private Status status = Status.PENDING;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "first_attempt_at")
    public Instant firstAttemptAt;

    @Column(name = "last_attempt_at")
    public Instant lastAttemptAt;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "status_code")
    public Integer statusCode;

    @Column(name = "response_excerpt")
    public String responseExcerpt;

    @Column(name = "latency_ms")
    public Long latencyMs;

    public String error;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();

    @Column(name = "finished_at")
    public Instant finishedAt;

    static Delivery of(long subscriptionId, long eventSeq) {
        Delivery delivery = new Delivery();
        delivery.subscriptionId = subscriptionId;
        delivery.eventSeq = eventSeq;
        return delivery;
    }

    /** The subscription's deliveries still to be made, oldest event first: only the first may be attempted now. */
    static List<Delivery> pending(long subscriptionId, int max) {
        return find("subscriptionId = ?1 and status = ?2 order by eventSeq", subscriptionId, Status.PENDING)
                .page(0, max)
                .list();
    }

    public Status status() {
        return status;
    }

    /** The subscriber answered 2xx. */
    void succeed(WebhookSender.Outcome outcome) {
        require(Status.PENDING, "be delivered");
        record(outcome);
        status = Status.DELIVERED;
        nextAttemptAt = null;
        finishedAt = outcome.at();
    }

    /**
     * The attempt failed: retried after a backoff that doubles each time, or dead-lettered once the retry period
     * since the first attempt has passed. Returns when the next attempt is due, empty when dead-lettered.
     */
    Optional<Instant> fail(WebhookSender.Outcome outcome, EventsConfig.Webhooks policy) {
        require(Status.PENDING, "fail");
        record(outcome);
        Instant giveUpAt = firstAttemptAt.plus(policy.retryPeriod());
        if (!outcome.at().isBefore(giveUpAt)) {
            status = Status.DEAD;
            nextAttemptAt = null;
            finishedAt = outcome.at();
            return Optional.empty();
        }
        Duration backoff = policy.initialBackoff().multipliedBy(1L << Math.min(attempts - 1, 30));
        if (backoff.compareTo(policy.maxBackoff()) > 0 || backoff.isNegative()) {
            backoff = policy.maxBackoff();
        }
        Instant next = outcome.at().plus(backoff);
        // The last try is made when the retry period ends, not a whole backoff after it.
        nextAttemptAt = next.isAfter(giveUpAt) ? giveUpAt : next;
        return Optional.of(nextAttemptAt);
    }

    /** Queues a delivered or dead-lettered event again, with a fresh retry period. */
    void redeliver() {
        IllegalTransition.unlessIn(
                EnumSet.of(Status.DELIVERED, Status.DEAD),
                status,
                "delivery " + id,
                "be redelivered (it will be retried on its own)");
        status = Status.PENDING;
        attempts = 0;
        firstAttemptAt = null;
        nextAttemptAt = null;
        finishedAt = null;
    }

    private void record(WebhookSender.Outcome outcome) {
        attempts++;
        if (firstAttemptAt == null) {
            firstAttemptAt = outcome.at();
        }
        lastAttemptAt = outcome.at();
        statusCode = outcome.statusCode();
        responseExcerpt = outcome.excerpt();
        latencyMs = outcome.latencyMillis();
        error = outcome.error();
    }

    private void require(Status expected, String transition) {
        IllegalTransition.unlessIn(EnumSet.of(expected), status, "delivery " + id, transition);
    }
}
