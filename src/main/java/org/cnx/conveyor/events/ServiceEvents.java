package org.cnx.conveyor.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.cnx.conveyor.common.DomainException.Forbidden;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.DomainException.TooLarge;

/**
 * Validates and stores the CloudEvents that cnx services publish. A service's namespace is its user name: user
 * {@code publishing} may publish {@code publishing.*} types and nothing else, and never Conveyor's own types.
 */
@ApplicationScoped
public class ServiceEvents {

    static final Pattern TYPE = Pattern.compile("^[a-z0-9][a-z0-9_-]*(\\.[a-z0-9][a-z0-9_-]*)+$");
    private static final Pattern ENVIRONMENT = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,62}$");

    private final EventsConfig config;
    private final EventPublisher publisher;
    private final ObjectMapper json;

    ServiceEvents(EventsConfig config, EventPublisher publisher, ObjectMapper json) {
        this.config = config;
        this.publisher = publisher;
        this.json = json;
    }

    /** Stores the event a service posted, or says which field is wrong (400), too large (413) or not its own (403). */
    @Transactional
    public EventPublisher.Stored publish(String service, byte[] body) {
        if (body == null || body.length == 0) {
            throw new Invalid("expected a CloudEvent as a JSON object (structured mode)");
        }
        if (body.length > config.maxSize()) {
            throw new TooLarge(
                    "the event is " + body.length + " bytes; at most " + config.maxSize() + " bytes are accepted");
        }
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (IOException e) {
            throw new Invalid("the body is not JSON: " + firstLine(e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            throw new Invalid("expected a CloudEvent as a JSON object (structured mode)");
        }
        return publisher.store(outgoing(service, (ObjectNode) tree));
    }

    /**
     * Stores a batch (a JSON array of CloudEvents, the CloudEvents batched mode) in one transaction: all of them in
     * the array's order, or none when one is refused (the error names its index). One transaction means one turn
     * of the outbox's ordering lock for the whole batch instead of one per event.
     */
    @Transactional
    public List<EventPublisher.Stored> publishBatch(String service, byte[] body) {
        if (body == null || body.length == 0) {
            throw new Invalid("expected a JSON array of CloudEvents (batched mode)");
        }
        long limit = (long) config.maxSize() * config.maxBatch();
        if (body.length > limit) {
            throw new TooLarge("the batch is " + body.length + " bytes; at most " + limit + " bytes are accepted");
        }
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (IOException e) {
            throw new Invalid("the body is not JSON: " + firstLine(e.getMessage()));
        }
        if (tree == null || !tree.isArray()) {
            throw new Invalid("expected a JSON array of CloudEvents (batched mode)");
        }
        if (tree.size() > config.maxBatch()) {
            throw new TooLarge("the batch has " + tree.size() + " events; at most " + config.maxBatch()
                    + " are accepted (conveyor.events.max-batch)");
        }
        List<EventPublisher.Outgoing> events = new ArrayList<>(tree.size());
        for (int i = 0; i < tree.size(); i++) {
            JsonNode node = tree.get(i);
            if (!node.isObject()) {
                throw new Invalid("[" + i + "]: expected a CloudEvent as a JSON object");
            }
            if (node.toString().getBytes(StandardCharsets.UTF_8).length > config.maxSize()) {
                throw new TooLarge("[" + i + "]: the event is larger than " + config.maxSize() + " bytes");
            }
            try {
                events.add(outgoing(service, (ObjectNode) node));
            } catch (Invalid e) {
                throw new Invalid("[" + i + "]." + e.getMessage());
            } catch (Forbidden e) {
                throw new Forbidden("[" + i + "]." + e.getMessage());
            }
        }
        // One statement for the whole batch: a round trip per event was most of a batch's cost.
        return publisher.storeAll(events);
    }

    private EventPublisher.Outgoing outgoing(String service, ObjectNode event) {
        if (!"1.0".equals(text(event, "specversion"))) {
            throw new Invalid("specversion: expected \"1.0\"");
        }
        String id = required(event, "id", 256);
        String source = required(event, "source", 1024);
        try {
            URI.create(source);
        } catch (IllegalArgumentException e) {
            throw new Invalid("source: expected a URI reference, such as /cnx/publishing");
        }
        String type = required(event, "type", 200);
        if (!TYPE.matcher(type).matches()) {
            throw new Invalid("type: expected dot-separated lower-case words, such as " + service + ".book.published");
        }
        if (EventType.reserved(type)) {
            throw new Forbidden("type: \"" + type + "\" is in Conveyor's own namespace; services publish only "
                    + service + ".* types");
        }
        if (!type.startsWith(service + ".")) {
            throw new Forbidden(
                    "type: service \"" + service + "\" may publish only " + service + ".* types, not \"" + type + "\"");
        }
        String subject = optional(event, "subject", 1024);
        String environment = optional(event, "environment", 63);
        if (environment != null && !ENVIRONMENT.matcher(environment).matches()) {
            throw new Invalid("environment: expected an environment name (a-z, 0-9, '.', '_', '-')");
        }
        optional(event, "datacontenttype", 200);
        Instant time = time(event);
        return new EventPublisher.Outgoing(id, source, type, subject, environment, time, publisher.serialize(event));
    }

    private static Instant time(ObjectNode event) {
        String time = optional(event, "time", 64);
        if (time == null) {
            Instant now = Instant.now();
            event.put("time", now.toString());
            return now;
        }
        try {
            return OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException e) {
            throw new Invalid("time: expected an RFC 3339 timestamp, such as 2026-11-27T10:00:00Z");
        }
    }

    private static String required(ObjectNode event, String field, int maxLength) {
        String value = optional(event, field, maxLength);
        if (value == null || value.isBlank()) {
            throw new Invalid(field + ": required, a non-empty string");
        }
        return value;
    }

    private static String optional(ObjectNode event, String field, int maxLength) {
        JsonNode node = event.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new Invalid(field + ": expected a string");
        }
        if (node.asText().length() > maxLength) {
            throw new Invalid(field + ": at most " + maxLength + " characters");
        }
        return node.asText();
    }

    private static String text(ObjectNode event, String field) {
        JsonNode node = event.get(field);
        return node == null || !node.isTextual() ? null : node.asText();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
