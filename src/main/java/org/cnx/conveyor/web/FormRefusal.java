package org.cnx.conveyor.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A form post the server refused, carried to the page the form is on so that page renders the problem next to the
 * form and keeps what was typed without JavaScript: pages read it as {@code inject:refusal}. It travels in a
 * short-lived cookie (so any instance can render the page), never with password fields, and is read once.
 */
@Named("refusal")
@RequestScoped
public class FormRefusal {

    static final String COOKIE = "conveyor-refusal";
    /** The cookie stays well under browsers' 4 KB limit; longer values are not kept. */
    static final int MAX_VALUE = 500;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a refused post leaves for its page: the form's action, the problem, and the fields as typed. */
    record Kept(String action, String message, List<String> errors, Map<String, String> values) {

        String encode() {
            try {
                return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(this));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static Kept decode(String cookie) {
            try {
                return JSON.readValue(Base64.getUrlDecoder().decode(cookie), Kept.class);
            } catch (java.io.IOException | IllegalArgumentException e) {
                return null; // a stale or tampered cookie is simply ignored
            }
        }
    }

    private final Kept kept;

    FormRefusal(HttpServerRequest request) {
        Cookie cookie = request.getCookie(COOKIE);
        this.kept = cookie == null ? null : Kept.decode(cookie.getValue());
    }

    /** True when the refused form posted to this action (a path, e.g. {@code /environments/dev/deploy}). */
    public boolean on(String action) {
        return kept != null && kept.action().equals(action);
    }

    /** The problem, when the refused form is this one. */
    public String message(String action) {
        return on(action) ? kept.message() : null;
    }

    /** The problem's field errors ("field: what was expected"), when the refused form is this one. */
    public List<String> errors(String action) {
        return on(action) && kept.errors() != null ? kept.errors() : List.of();
    }

    /** What was typed into a field of this form, or null. */
    public String value(String action, String field) {
        return on(action) ? kept.values().get(field) : null;
    }

    /** True when the field was sent with this value (a select's option, a checkbox). */
    public boolean is(String action, String field, Object value) {
        return value != null && String.valueOf(value).equals(value(action, field));
    }

    /** True when the problem names this field ({@code field: …} in its message or errors). */
    public boolean invalid(String action, String field) {
        if (!on(action)) {
            return false;
        }
        String prefix = field + ":";
        return kept.message().startsWith(prefix)
                || errors(action).stream().anyMatch(e -> e.startsWith(prefix))
                || kept.message().toLowerCase().contains(field.toLowerCase());
    }

    /** The cookie value for a refused post: values of password and token fields are left out. */
    static String cookieValue(String action, String message, List<String> errors, Map<String, String> values) {
        Map<String, String> safe = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            String lower = name.toLowerCase();
            if (!lower.contains("password")
                    && !lower.contains("secret")
                    && !lower.equals(CsrfCheck.FIELD)
                    && !lower.equals("confirmed")
                    && value.length() <= MAX_VALUE) {
                safe.put(name, value);
            }
        });
        String text = message.length() > MAX_VALUE ? message.substring(0, MAX_VALUE) + "…" : message;
        List<String> few = errors == null ? List.of() : errors.stream().limit(5).toList();
        return new Kept(action, text, few, safe).encode();
    }
}
