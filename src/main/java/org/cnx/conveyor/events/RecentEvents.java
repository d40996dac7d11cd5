package org.cnx.conveyor.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbox's recent events as the webhook dispatcher read them, shared by every subscription: ten subscriptions
 * taking the same events read them from PostgreSQL once, not ten times, and their bodies are encoded once. Each event
 * is remembered with the seq it follows in the outbox, so a scan walks the chain from its cursor and reads the
 * outbox only where the chain ends. That is sound because seqs become visible in commit order (the outbox's
 * ordering lock): what one read saw after seq N is all there will ever be up to the last seq it returned. Events are
 * never changed; the oldest are forgotten past a bound on their number and size.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
class RecentEvents {

    static final int MAX_EVENTS = 10_000;
    static final long MAX_BYTES = 16L << 20;

    /** An outbox event as sent: what filters look at, its body, and the body's UTF-8 bytes (signed and sent as is). */
    record Event(long seq, String eventId, String type, String environment, String body, byte[] bytes) {}

    /** Events by the seq that precedes them in the outbox (the cursor they follow). */
    private final ConcurrentSkipListMap<Long, Event> byPrevious = new ConcurrentSkipListMap<>();

    // Counted here: the map's own size() walks it.
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong bytesHeld = new AtomicLong();
    private final EntityManager db;

    RecentEvents(EntityManager db) {
        this.db = db;
    }

    /** Up to {@code limit} events after {@code after} that match, passing over the ones that do not. */
    EventQueries.Scan<Event> scan(long after, EventFilter filter, int limit) {
        return EventQueries.scan(
                after, limit, this::after, Event::seq, event -> filter.matches(event.type(), event.environment()));
    }

    /** Up to {@code size} events after {@code seq}: as far as the remembered chain goes, then read from the outbox. */
    private List<Event> after(long seq, int size) {
        List<Event> page = new ArrayList<>();
        long cursor = seq;
        for (Event known = byPrevious.get(cursor);
                known != null && page.size() < size;
                known = byPrevious.get(cursor)) {
            page.add(known);
            cursor = known.seq();
        }
        if (page.size() < size) {
            page.addAll(read(cursor, size - page.size()));
        }
        return page;
    }

    /** How many events are remembered now. */
    int size() {
        return held.get();
    }

    private List<Event> read(long after, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = db.createNativeQuery(
                        "SELECT seq, event_id, type, environment, body FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2")
                .setParameter(1, after)
                .setParameter(2, limit)
                .getResultList();
        List<Event> page = new ArrayList<>(rows.size());
        long previous = after;
        for (Object[] row : rows) {
            String body = (String) row[4];
            Event event = new Event(
                    ((Number) row[0]).longValue(),
                    (String) row[1],
                    (String) row[2],
                    (String) row[3],
                    body,
                    body.getBytes(StandardCharsets.UTF_8));
            page.add(event);
            if (byPrevious.putIfAbsent(previous, event) == null) {
                held.incrementAndGet();
                bytesHeld.addAndGet(event.bytes().length);
            }
            previous = event.seq();
        }
        forgetOldest();
        return page;
    }

    private void forgetOldest() {
        while (held.get() > MAX_EVENTS || bytesHeld.get() > MAX_BYTES) {
            Map.Entry<Long, Event> oldest = byPrevious.pollFirstEntry();
            if (oldest == null) {
                return;
            }
            held.decrementAndGet();
            bytesHeld.addAndGet(-oldest.getValue().bytes().length);
        }
    }
}
