package org.cnx.conveyor.events;

import java.util.ArrayList;
import java.util.List;

/** Reads of the outbox shared by the API, the stream and the webhook dispatcher. */
final class EventQueries {

    private static final int SCAN = 500;
    private static final int FIRST_PAGE = 50;

    /** Matching events, and the last seq looked at (matching or not): where the next scan starts. */
    record Scan(List<StoredEvent> events, long scannedTo) {}

    private EventQueries() {}

    /** Up to {@code limit} events after {@code after} that match, scanning past the ones that do not. */
    static List<StoredEvent> matching(long after, EventFilter filter, int limit) {
        return scan(after, filter, limit).events();
    }

    static Scan scan(long after, EventFilter filter, int limit) {
        List<StoredEvent> found = new ArrayList<>();
        long cursor = after;
        // The first page is about the size asked for: most scans (a subscriber catching up on a backlog of events it
        // takes) find them all there, without loading hundreds of bodies they do not send yet.
        int size = Math.min(SCAN, Math.max(limit, FIRST_PAGE));
        while (found.size() < limit) {
            List<StoredEvent> page = StoredEvent.after(cursor, size);
            for (StoredEvent event : page) {
                cursor = event.seq;
                if (filter.matches(event)) {
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
        return new Scan(found, cursor);
    }
}
