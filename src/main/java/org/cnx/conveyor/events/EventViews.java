package org.cnx.conveyor.events;

import com.fasterxml.jackson.annotation.JsonRawValue;

/** What the events API returns. */
public final class EventViews {

    private EventViews() {}

    /** An event in the outbox: its seq (the stream's event id) and the CloudEvent as stored. */
    public record EventView(long seq, @JsonRawValue String event) {
        static EventView of(StoredEvent stored) {
            return new EventView(stored.seq, stored.body);
        }
    }

    /** The answer to a published service event. */
    public record Published(long seq, String id, boolean duplicate) {}
}
