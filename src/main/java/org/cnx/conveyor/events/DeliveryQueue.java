package org.cnx.conveyor.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The webhook dispatcher's database steps, each a short transaction: lease subscriptions that have work (so one
 * instance serves a subscription at a time, and a dead instance's lease runs out), take the next run in order
 * (pending deliveries first, else the outbox's next events), record a run's outcomes, give the lease back.
 */
@ApplicationScoped
@Transactional
class DeliveryQueue {

    // Status words are written into the SQL (not bound) so PostgreSQL plans with the partial index on pending ones.
    private static final String CLAIMABLE =
            """
            SELECT s.id FROM subscriptions s
            WHERE s.status = '%s'
              AND (s.lease_expires_at IS NULL OR s.lease_expires_at < now())
              AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= now())
              AND (EXISTS (SELECT 1 FROM deliveries d WHERE d.subscription_id = s.id AND d.status = '%s')
                   OR EXISTS (SELECT 1 FROM events e WHERE e.seq > s.cursor_seq))
            ORDER BY s.lease_expires_at NULLS FIRST, s.id
            LIMIT ?1
            FOR UPDATE SKIP LOCKED
            """.formatted(Subscription.Status.ACTIVE.id(), Delivery.Status.PENDING.id());

    /**
     * Deliveries to attempt in order. {@code scanned} is set when they come straight from the outbox (no row yet):
     * their record writes the rows and moves the cursor; otherwise they are pending rows (retries, redeliveries).
     */
    record Run(List<NextDelivery> deliveries, Scanned scanned) {

        static final Run NONE = new Run(List.of(), null);

        boolean isEmpty() {
            return deliveries.isEmpty();
        }
    }

    /** The stretch of the outbox a direct run was scanned from: the cursor before, and the last seq looked at. */
    record Scanned(long from, long to) {}

    private final EntityManager db;
    private final DirectDeliveries direct;
    private final RecentEvents recent;
    private final SubscriptionSecrets secrets;
    private final EventsConfig.Webhooks config;
    private final Instance<StageDirectory> stages;

    DeliveryQueue(
            EntityManager db,
            DirectDeliveries direct,
            RecentEvents recent,
            SubscriptionSecrets secrets,
            EventsConfig config,
            Instance<StageDirectory> stages) {
        this.db = db;
        this.direct = direct;
        this.recent = recent;
        this.secrets = secrets;
        this.config = config.webhooks();
        this.stages = stages;
    }

    /** Leases up to {@code max} subscriptions that have a delivery to make now; least recently served first. */
    List<Long> claim(String owner, int max) {
        if (max <= 0) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Number> ids = db.createNativeQuery(CLAIMABLE).setParameter(1, max).getResultList();
        List<Long> claimed = ids.stream().map(Number::longValue).toList();
        if (!claimed.isEmpty()) {
            db.createNativeQuery("UPDATE subscriptions SET lease_owner = ?1, lease_expires_at = ?2 WHERE id IN (?3)")
                    .setParameter(1, owner)
                    .setParameter(2, Timestamp.from(leaseUntil()))
                    .setParameter(3, claimed)
                    .executeUpdate();
        }
        return claimed;
    }

    /**
     * What to attempt next, in order: the oldest pending deliveries when there are any; otherwise the next matching
     * events of the outbox, sent without a row of their own until the run is recorded. The caller attempts them one
     * by one and stops at the first failure.
     */
    Run next(long subscriptionId, String owner, int max) {
        Subscription subscription = Subscription.findById(subscriptionId);
        if (subscription == null
                || !owner.equals(subscription.leaseOwner)
                || subscription.status() != Subscription.Status.ACTIVE
                || (subscription.nextAttemptAt != null && subscription.nextAttemptAt.isAfter(Instant.now()))) {
            return Run.NONE;
        }
        List<Delivery> pending = Delivery.pending(subscriptionId, max);
        if (!pending.isEmpty()) {
            return new Run(pendingRun(subscription, pending), null);
        }
        // Read through the recent events every subscription shares: the same events are loaded once, not per
        // subscription.
        EventQueries.Scan<RecentEvents.Event> scan = recent.scan(subscription.cursorSeq, filter(subscription), max);
        if (scan.events().isEmpty()) {
            // Nothing matched: passing over the scanned events needs no delivery, so the cursor moves now.
            subscription.cursorSeq = scan.scannedTo();
            return Run.NONE;
        }
        String secret = secret(subscription);
        List<Long> ids = direct.reserveIds(scan.events().size());
        List<NextDelivery> run = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            RecentEvents.Event event = scan.events().get(i);
            run.add(new NextDelivery(
                    ids.get(i),
                    subscription.url,
                    secret,
                    event.eventId(),
                    event.body(),
                    subscription.kind,
                    subscription.room,
                    event.seq(),
                    event.bytes()));
        }
        return new Run(run, new Scanned(subscription.cursorSeq, scan.scannedTo()));
    }

    private List<NextDelivery> pendingRun(Subscription subscription, List<Delivery> pending) {
        String secret = secret(subscription);
        Map<Long, StoredEvent> events =
                StoredEvent.<StoredEvent>list(
                                "seq in ?1",
                                pending.stream().map(d -> d.eventSeq).toList())
                        .stream()
                        .collect(Collectors.toMap(e -> e.seq, Function.identity()));
        return pending.stream()
                .map(d -> next(d.id, subscription, secret, events.get(d.eventSeq)))
                .toList();
    }

    private static NextDelivery next(long deliveryId, Subscription subscription, String secret, StoredEvent event) {
        return new NextDelivery(
                deliveryId,
                subscription.url,
                secret,
                event.eventId,
                event.body,
                subscription.kind,
                subscription.room,
                event.seq);
    }

    /** The subscription's filter, its stages turned into the environments they hold at this scan. */
    private EventFilter filter(Subscription subscription) {
        EventFilter filter = subscription.filter();
        if (subscription.stages().isEmpty() || !stages.isResolvable()) {
            return filter;
        }
        Set<String> environments = new TreeSet<>(filter.environments());
        environments.addAll(stages.get().environmentsIn(subscription.stages()));
        // A stage with no environment yet must still exclude every other environment's events.
        return new EventFilter(filter.types(), environments.isEmpty() ? List.of("") : List.copyOf(environments));
    }

    /** One attempt made, to be recorded. */
    record Attempt(NextDelivery delivery, WebhookSender.Outcome outcome) {}

    /** Records a run's attempts in one transaction, in the order they were made. */
    void record(long subscriptionId, Run run, List<Attempt> attempts, String owner) {
        if (attempts.isEmpty()) {
            return;
        }
        if (run.scanned() != null) {
            direct.record(
                    subscriptionId, run.scanned(), attempts, run.deliveries().size(), owner, leaseUntil());
            return;
        }
        // One read of the run's deliveries; each record below then finds its row in the persistence context.
        Delivery.list(
                "id in ?1",
                attempts.stream().map(a -> a.delivery().deliveryId()).toList());
        for (Attempt attempt : attempts) {
            record(attempt.delivery().deliveryId(), attempt.outcome(), owner);
        }
    }

    /** Records an attempt; a failed one holds the subscription back until its retry is due. */
    void record(long deliveryId, WebhookSender.Outcome outcome, String owner) {
        Delivery delivery = Delivery.findById(deliveryId);
        if (delivery == null || delivery.status() != Delivery.Status.PENDING) {
            return;
        }
        Subscription subscription = Subscription.findById(delivery.subscriptionId);
        if (outcome.delivered()) {
            delivery.succeed(outcome);
            if (subscription.nextAttemptAt != null) {
                subscription.nextAttemptAt = null;
            }
        } else {
            subscription.nextAttemptAt = delivery.fail(outcome, config).orElse(null);
        }
        // Renewed when less than half of it is left, so a fast subscriber's deliveries do not each rewrite the row.
        Instant renewal = leaseUntil();
        if (owner.equals(subscription.leaseOwner)
                && subscription.leaseExpiresAt != null
                && Duration.between(Instant.now(), subscription.leaseExpiresAt)
                                .compareTo(
                                        Duration.between(Instant.now(), renewal).dividedBy(2))
                        < 0) {
            subscription.leaseExpiresAt = renewal;
        }
    }

    /** Gives the lease back; the expiry stays as "last served", which orders the next claims. */
    void release(long subscriptionId, String owner) {
        db.createNativeQuery("UPDATE subscriptions SET lease_owner = NULL, lease_expires_at = now()"
                        + " WHERE id = ?1 AND lease_owner = ?2")
                .setParameter(1, subscriptionId)
                .setParameter(2, owner)
                .executeUpdate();
    }

    /** The subscription's sealed secret, opened; null when it has none (a Slack channel's is its URL). */
    String secret(Subscription subscription) {
        return secrets.open(subscription);
    }

    private Instant leaseUntil() {
        // Long enough for one attempt with its timeouts; renewed at every recorded attempt.
        return Instant.now()
                .plus(config.timeout())
                .plus(config.connectTimeout())
                .plus(Duration.ofSeconds(30));
    }
}
