package org.cnx.conveyor.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A message as Slack's incoming webhooks take it: {@code text} (the plain fallback shown in notifications) and
 * {@code blocks}: a {@code section} in Slack's mrkdwn with the links, and a {@code context} line naming Conveyor and the
 * environment.
 */
final class SlackFormat {

    private SlackFormat() {}

    static Map<String, Object> payload(Message message) {
        List<Object> blocks = new ArrayList<>();
        String links = message.links().stream()
                .map(l -> "<" + l.url() + "|" + escape(l.label()) + ">")
                .collect(Collectors.joining(" · "));
        blocks.add(Map.of(
                "type",
                "section",
                "text",
                Map.of("type", "mrkdwn", "text", escape(message.text()) + (links.isEmpty() ? "" : "\n" + links))));
        blocks.add(Map.of(
                "type",
                "context",
                "elements",
                List.of(Map.of(
                        "type",
                        "mrkdwn",
                        "text",
                        "Conveyor" + (message.environment() == null ? "" : " · " + escape(message.environment()))))));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("text", plain(message));
        payload.put("blocks", blocks);
        return payload;
    }

    /** The text and its links as "label: url", for clients that show no blocks. */
    static String plain(Message message) {
        StringBuilder text = new StringBuilder(message.text());
        message.links()
                .forEach(l -> text.append("\n").append(l.label()).append(": ").append(l.url()));
        return text.toString();
    }

    /** Slack's three control characters in text ({@code & < >}) as the entities it asks for. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
