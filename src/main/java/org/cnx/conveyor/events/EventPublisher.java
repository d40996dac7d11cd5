package org.cnx.conveyor.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Writes events to the outbox, always inside the caller's transaction: an event exists exactly when the change it
 * describes was committed. Conveyor's features call {@link #publish}; service events come through {@link #store}.
 */
@ApplicationScoped
public class EventPublisher {

    /** Serialises outbox writers until they commit, so seqs become visible in order (see V10's comment). */
    private static final long OUTBOX_LOCK = 0x436F6E7665794CL;

    private static final String LOCKED = EventPublisher.class.getName() + ".locked";

    // Seqs are drawn in the batch's order (ORDER BY its position), as the order guarantee needs.
    private static final String INSERT_ALL = """
            INSERT INTO events (event_id, source, type, subject, environment, time, body)
            SELECT e.id, e.source, e.type, e.subject, e.environment, cast(e.time AS timestamptz), e.body
            FROM unnest(cast(? AS text[]), cast(? AS text[]), cast(? AS text[]), cast(? AS text[]),
                        cast(? AS text[]), cast(? AS text[]), cast(? AS text[]))
                 WITH ORDINALITY AS e(id, source, type, subject, environment, time, body, position)
            ORDER BY e.position
            ON CONFLICT (source, event_id) DO NOTHING
            RETURNING seq, source, event_id
            """;

    /** A CloudEvent about to be stored: its attributes and its serialized JSON body. */
    public record Outgoing(
            String id, String source, String type, String subject, String environment, Instant time, String body) {}

    /** Where a stored event landed; {@code duplicate} when the same source and id were stored before. */
    public record Stored(long seq, String id, boolean duplicate) {}

    private final EventsConfig config;
    private final EntityManager db;
    private final ObjectMapper json;
    private final EventSignals signals;
    private final TransactionSynchronizationRegistry transactions;

    EventPublisher(
            EventsConfig config,
            EntityManager db,
            ObjectMapper json,
            EventSignals signals,
            TransactionSynchronizationRegistry transactions) {
        this.config = config;
        this.db = db;
        this.json = json;
        this.signals = signals;
        this.transactions = transactions;
    }

    /**
     * Publishes one of Conveyor's own events with the caller's transaction.
     *
     * @param subject what the event is about, e.g. {@code environments/staging} or {@code releases/42}
     * @param environment the environment it concerns (used by filters), or null
     * @param data the payload, serialized as JSON (a record or a map)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long publish(EventType type, String subject, String environment, Object data) {
        String id = UUID.randomUUID().toString();
        Instant time = Instant.now();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", config.source());
        event.put("type", type.id());
        if (subject != null) {
            event.put("subject", subject);
        }
        event.put("time", time.toString());
        event.put("datacontenttype", "application/json");
        if (environment != null) {
            event.put("environment", environment);
        }
        event.put("data", data);
        return store(new Outgoing(id, config.source(), type.id(), subject, environment, time, serialize(event)))
                .seq();
    }

    /** Stores an already validated CloudEvent with the caller's transaction; a repeated source and id is stored once. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Stored store(Outgoing event) {
        lockOutbox();
        @SuppressWarnings("unchecked")
        List<Number> seq = db.createNativeQuery("""
                INSERT INTO events (event_id, source, type, subject, environment, time, body)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                ON CONFLICT (source, event_id) DO NOTHING
                RETURNING seq
                """)
                .setParameter(1, event.id())
                .setParameter(2, event.source())
                .setParameter(3, event.type())
                .setParameter(4, event.subject())
                .setParameter(5, event.environment())
                .setParameter(6, Timestamp.from(event.time()))
                .setParameter(7, event.body())
                .getResultList();
        if (seq.isEmpty()) {
            Optional<StoredEvent> earlier = StoredEvent.find("source = ?1 and eventId = ?2", event.source(), event.id())
                    .firstResultOptional();
            return new Stored(earlier.map(e -> e.seq).orElseThrow(), event.id(), true);
        }
        signals.bumpAfterCommit();
        return new Stored(seq.get(0).longValue(), event.id(), false);
    }

    /**
     * Stores a batch of already validated CloudEvents with the caller's transaction in one statement, their seqs in
     * the batch's order; a repeated source and id (earlier, or within the batch) is stored once.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Stored> storeAll(List<Outgoing> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        lockOutbox();
        Map<String, Long> inserted = new HashMap<>();
        db.unwrap(Session.class).doWork(connection -> insertAll(connection, events, inserted));
        List<Stored> stored = new ArrayList<>(events.size());
        for (Outgoing event : events) {
            Long seq = inserted.remove(key(event.source(), event.id()));
            stored.add(seq != null ? new Stored(seq, event.id(), false) : earlier(event));
        }
        if (stored.stream().anyMatch(s -> !s.duplicate())) {
            signals.bumpAfterCommit();
        }
        return stored;
    }

    private static void insertAll(Connection connection, List<Outgoing> events, Map<String, Long> inserted)
            throws SQLException {
        int n = events.size();
        String[] ids = new String[n];
        String[] sources = new String[n];
        String[] types = new String[n];
        String[] subjects = new String[n];
        String[] environments = new String[n];
        String[] times = new String[n];
        String[] bodies = new String[n];
        for (int i = 0; i < n; i++) {
            Outgoing event = events.get(i);
            ids[i] = event.id();
            sources[i] = event.source();
            types[i] = event.type();
            subjects[i] = event.subject();
            environments[i] = event.environment();
            times[i] = event.time().toString();
            bodies[i] = event.body();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_ALL)) {
            String[][] columns = {ids, sources, types, subjects, environments, times, bodies};
            for (int i = 0; i < columns.length; i++) {
                insert.setArray(i + 1, connection.createArrayOf("text", columns[i]));
            }
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    inserted.put(key(rows.getString(2), rows.getString(3)), rows.getLong(1));
                }
            }
        }
    }

    private static String key(String source, String id) {
        return source + "\n" + id;
    }

    private static Stored earlier(Outgoing event) {
        StoredEvent earlier = StoredEvent.<StoredEvent>find("source = ?1 and eventId = ?2", event.source(), event.id())
                .firstResult();
        return new Stored(earlier.seq, event.id(), true);
    }

    /** Once per transaction: the lock is held until the commit, so a batch's later events need no round trip. */
    private void lockOutbox() {
        if (transactions.getResource(LOCKED) == null) {
            db.createNativeQuery("SELECT pg_advisory_xact_lock(" + OUTBOX_LOCK + ")")
                    .getSingleResult();
            transactions.putResource(LOCKED, Boolean.TRUE);
        }
    }

    String serialize(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
