package org.cnx.conveyor.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A message as a Matrix {@code m.room.message} event: an {@code m.notice} (the message type the specification asks
 * automated senders to use, so other bots do not answer it) with a plain {@code body} and an HTML
 * {@code formatted_body} with the links.
 */
final class MatrixFormat {

    private MatrixFormat() {}

    static Map<String, Object> content(Message message) {
        String links = message.links().stream()
                .map(l -> "<a href=\"" + escape(l.url()) + "\">" + escape(l.label()) + "</a>")
                .collect(Collectors.joining(" · "));
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("msgtype", "m.notice");
        content.put("body", SlackFormat.plain(message));
        content.put("format", "org.matrix.custom.html");
        content.put("formatted_body", escape(message.text()) + (links.isEmpty() ? "" : "<br>" + links));
        return content;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
