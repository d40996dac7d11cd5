package org.cnx.conveyor.events;

import java.util.ArrayList;
import java.util.List;

/** Reads of the outbox shared by the API, the stream and the webhook dispatcher. */
final class EventQueries {

    private static final int SCAN = 500;

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
        while (found.size() < limit) {
            List<StoredEvent> page = StoredEvent.after(cursor, SCAN);
            for (StoredEvent event : page) {
                cursor = event.seq;
                if (filter.matches(event)) {
                    found.add(event);
                    if (found.size() == limit) {
                        break;
                    }
                }
            }
            if (page.size() < SCAN) {
                break;
            }
        }
        return new Scan(found, cursor);
    }
}
