package org.cnx.conveyor.events;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/** Reads of the outbox shared by the API, the stream and the webhook dispatcher. */
final class EventQueries {

    private static final int SCAN = 500;
    private static final int FIRST_PAGE = 50;

    /** Matching events, and the last seq looked at (matching or not): where the next scan starts. */
    record Scan<E>(List<E> events, long scannedTo) {}

    /** Reads up to {@code size} events after a seq, oldest first; fewer only at the end of the outbox. */
    @FunctionalInterface
    interface Pages<E> {
        List<E> after(long seq, int size);
    }

    private EventQueries() {}

    /** Up to {@code limit} events after {@code after} that match, scanning past the ones that do not. */
    static List<StoredEvent> matching(long after, EventFilter filter, int limit) {
        return scan(after, filter, limit).events();
    }

    static Scan<StoredEvent> scan(long after, EventFilter filter, int limit) {
        return scan(after, limit, StoredEvent::after, event -> event.seq, filter::matches);
    }

    /** The scan itself, over any reading of the outbox: its rows, or the dispatcher's shared recent events. */
    static <E> Scan<E> scan(long after, int limit, Pages<E> pages, ToLongFunction<E> seq, Predicate<E> matches) {
        List<E> found = new ArrayList<>();
        long cursor = after;
        // The first page is about the size asked for: most scans (a subscriber catching up on a backlog of events it
        // takes) find them all there, without loading hundreds of bodies they do not send yet.
        int size = Math.min(SCAN, Math.max(limit, FIRST_PAGE));
        while (found.size() < limit) {
            List<E> page = pages.after(cursor, size);
            for (E event : page) {
                cursor = seq.applyAsLong(event);
                if (matches.test(event)) {
                    found.add(event);
                    if (found.size() == limit) {
                        break;
                    }
                }
            }
            if (page.size() < size) {
                break;
            }
            size = SCAN;
        }
        return new Scan<>(found, cursor);
    }
}
