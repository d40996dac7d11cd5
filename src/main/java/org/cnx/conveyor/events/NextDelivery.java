package org.cnx.conveyor.events;

import java.nio.charset.StandardCharsets;

/**
 * The delivery to attempt now: where, with which secret, what; how (a webhook, or a chat channel's message).
 * {@code bytes} is the body in UTF-8, shared by every subscription the event goes to: it is signed and sent as is.
 */
record NextDelivery(
        long deliveryId,
        String url,
        String secret,
        String eventId,
        String body,
        Subscription.Kind kind,
        String room,
        long eventSeq,
        byte[] bytes) {

    NextDelivery(
            long deliveryId,
            String url,
            String secret,
            String eventId,
            String body,
            Subscription.Kind kind,
            String room,
            long eventSeq) {
        this(
                deliveryId,
                url,
                secret,
                eventId,
                body,
                kind,
                room,
                eventSeq,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** A destination without an outbox event behind it (a test ping). */
    NextDelivery(
            long deliveryId,
            String url,
            String secret,
            String eventId,
            String body,
            Subscription.Kind kind,
            String room) {
        this(deliveryId, url, secret, eventId, body, kind, room, 0);
    }

    /** A chat channel's destination: a Slack channel's secret is its whole webhook URL, Matrix's its token. */
    ChatRenderer.Channel channel() {
        return kind == Subscription.Kind.SLACK
                ? new ChatRenderer.Channel(kind, secret, room, null)
                : new ChatRenderer.Channel(kind, url, room, secret);
    }
}
