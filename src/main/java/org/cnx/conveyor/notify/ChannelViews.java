package org.cnx.conveyor.notify;

import java.time.Instant;
import java.util.List;
import org.cnx.conveyor.events.Delivery;
import org.cnx.conveyor.events.Subscription;

/** What the channels API and pages take and show: never a token, nor a Slack webhook URL past its host. */
public final class ChannelViews {

    private ChannelViews() {}

    /**
     * The body of {@code POST /api/channels}: for Slack the incoming-webhook URL; for Matrix the homeserver's URL, the
     * room id and the access token.
     */
    public record NewChannel(
            String kind,
            String name,
            String url,
            String room,
            String token,
            List<String> events,
            List<String> environments,
            List<String> stages) {}

    /** A channel as listed. */
    public record ChannelView(
            long id,
            String kind,
            String name,
            String url,
            String room,
            List<String> events,
            List<String> environments,
            List<String> stages,
            String status,
            Instant nextAttemptAt,
            String createdBy,
            Instant createdAt,
            long pending,
            long dead) {

        static ChannelView of(Subscription s) {
            return new ChannelView(
                    s.id,
                    s.kind.id(),
                    s.name,
                    s.url,
                    s.room,
                    s.filter().types(),
                    s.filter().environments(),
                    s.stages(),
                    s.status().id(),
                    s.nextAttemptAt,
                    s.createdBy,
                    s.createdAt,
                    Delivery.count("subscriptionId = ?1 and status = ?2", s.id, Delivery.Status.PENDING),
                    Delivery.count("subscriptionId = ?1 and status = ?2", s.id, Delivery.Status.DEAD));
        }

        /** The words of the channel's events, for the page. */
        public List<String> eventLabels() {
            return events.stream()
                    .map(type -> ChatEvent.ofType(type).map(ChatEvent::label).orElse(type))
                    .toList();
        }
    }
}
