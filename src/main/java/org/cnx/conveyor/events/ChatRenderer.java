package org.cnx.conveyor.events;

import java.net.URI;
import java.util.Map;

/**
 * Turns an outbox event into the HTTP request that posts it to a chat channel (Slack, Matrix). The chat feature
 * implements it; the webhook dispatcher calls it for every delivery of a channel, so chat messages get the same
 * order, retries, dead letters and redelivery as webhooks.
 */
public interface ChatRenderer {

    /** Where a channel's messages go: its kind, its (unmasked) URL, its room, and its token (null when none). */
    record Channel(Subscription.Kind kind, String url, String room, String token) {}

    /** One HTTP request to make. */
    record ChatRequest(String method, URI uri, Map<String, String> headers, String body) {}

    /**
     * The request posting {@code event} (the CloudEvent's JSON) to the channel.
     *
     * @param deliveryId the same on every attempt of a delivery (Matrix uses it as the transaction id)
     * @throws IllegalArgumentException when the event cannot be written as a message
     */
    ChatRequest render(Channel channel, String deliveryId, String event);
}
