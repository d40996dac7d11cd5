package org.cnx.conveyor.events;

import java.time.Instant;
import java.util.List;

/** What the subscriptions API and pages show: never a secret. */
public final class SubscriptionViews {

    private SubscriptionViews() {}

    /** The body of {@code POST /api/subscriptions}. */
    public record NewSubscription(String url, List<String> types, List<String> environments, String secret) {}

    /** A chat channel to create: the chat feature has checked its kind's details (room, token) before. */
    public record NewChannel(
            Subscription.Kind kind,
            String name,
            String url,
            String room,
            String token,
            List<String> types,
            List<String> environments,
            List<String> stages) {}

    public record SubscriptionView(
            long id,
            String url,
            List<String> types,
            List<String> environments,
            String status,
            long cursor,
            Instant nextAttemptAt,
            String createdBy,
            Instant createdAt,
            long pending,
            long dead) {
        static SubscriptionView of(Subscription s) {
            EventFilter filter = s.filter();
            return new SubscriptionView(
                    s.id,
                    s.url,
                    filter.types(),
                    filter.environments(),
                    s.status().id(),
                    s.cursorSeq,
                    s.nextAttemptAt,
                    s.createdBy,
                    s.createdAt,
                    Delivery.count("subscriptionId = ?1 and status = ?2", s.id, Delivery.Status.PENDING),
                    Delivery.count("subscriptionId = ?1 and status = ?2", s.id, Delivery.Status.DEAD));
        }
    }

    /** What the delivery log shows of a delivery. */
    public record DeliveryView(
            long id,
            long eventSeq,
            String eventType,
            String eventId,
            String status,
            int attempts,
            Integer statusCode,
            String responseExcerpt,
            Long latencyMs,
            String error,
            Instant firstAttemptAt,
            Instant lastAttemptAt,
            Instant nextAttemptAt,
            Instant finishedAt) {
        static DeliveryView of(Delivery d, StoredEvent event) {
            return new DeliveryView(
                    d.id,
                    d.eventSeq,
                    event == null ? null : event.type,
                    event == null ? null : event.eventId,
                    d.status().id(),
                    d.attempts,
                    d.statusCode,
                    d.responseExcerpt,
                    d.latencyMs,
                    d.error,
                    d.firstAttemptAt,
                    d.lastAttemptAt,
                    d.nextAttemptAt,
                    d.finishedAt);
        }
    }

    /** What a test ping got back. */
    public record PingResult(boolean delivered, Integer statusCode, long latencyMs, String error) {
        // The answer's body is not echoed: a ping must not turn Conveyor into a way to read what a URL serves.
        static PingResult of(WebhookSender.Outcome o) {
            return new PingResult(o.delivered(), o.statusCode(), o.latencyMillis(), o.error());
        }
    }
}
