package org.cnx.conveyor.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.cnx.conveyor.events.ChatRenderer;

/**
 * The requests that post an event to a chat: Slack's incoming webhook (a POST of the payload to the webhook URL) or
 * Matrix's client-server API ({@code PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}} with the
 * access token as a bearer token; the transaction id is the delivery's, so a retried delivery is posted once).
 */
@ApplicationScoped
class ChatMessages implements ChatRenderer {

    private final Messages messages;
    private final ObjectMapper json;

    ChatMessages(Messages messages, ObjectMapper json) {
        this.messages = messages;
        this.json = json;
    }

    @Override
    public ChatRequest render(Channel channel, String deliveryId, String event) {
        Message message = messages.of(event);
        return switch (channel.kind()) {
            case SLACK ->
                new ChatRequest("POST", URI.create(channel.url()), Map.of(), write(SlackFormat.payload(message)));
            case MATRIX ->
                new ChatRequest(
                        "PUT",
                        URI.create(channel.url().replaceAll("/+$", "") + "/_matrix/client/v3/rooms/"
                                + URLEncoder.encode(channel.room(), StandardCharsets.UTF_8)
                                + "/send/m.room.message/conveyor-" + deliveryId),
                        Map.of("Authorization", "Bearer " + channel.token()),
                        write(MatrixFormat.content(message)));
            case WEBHOOK -> throw new IllegalArgumentException("a webhook is not a chat channel");
        };
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }
}
