package org.cnx.conveyor.preview;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.cnx.conveyor.common.DomainException.Invalid;

/**
 * The two content types a GitHub webhook can be set to: {@code application/json}, the body is the event, and
 * {@code application/x-www-form-urlencoded} (GitHub's default), the event is the form field {@code payload}.
 */
enum DeliveryBody {
    JSON,
    FORM,
    UNSUPPORTED;

    static DeliveryBody of(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return JSON;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/json" -> JSON;
            case "application/x-www-form-urlencoded" -> FORM;
            default -> UNSUPPORTED;
        };
    }

    /** The event's JSON: the body itself, or the decoded {@code payload} field of the form. */
    byte[] json(byte[] body) {
        if (this != FORM) {
            return body;
        }
        for (String field : new String(body, StandardCharsets.US_ASCII).split("&")) {
            int eq = field.indexOf('=');
            String name = eq < 0 ? field : field.substring(0, eq);
            if (name.equals("payload")) {
                try {
                    return URLDecoder.decode(field.substring(eq + 1), StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new Invalid("payload: not URL-encoded (" + e.getMessage() + ")");
                }
            }
        }
        throw new Invalid("a form-encoded delivery carries the event in the field payload, and this one has none; "
                + "in the webhook's settings on GitHub, choose Content type application/json");
    }
}
