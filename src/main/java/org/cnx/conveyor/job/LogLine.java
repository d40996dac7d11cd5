package org.cnx.conveyor.job;

import java.time.Instant;

/** One stored line of a job's log; {@code seq} orders lines and is the SSE event id. */
public record LogLine(long seq, Instant at, String host, String component, String stream, String line) {

    /** The raw-log form: time, host/component, stream, text. */
    public String toText() {
        return at + " " + where() + " [" + stream + "] " + line;
    }

    /** Where the line comes from: {@code host/component}, just the host, or empty for job-wide messages. */
    public String where() {
        return host == null ? "" : component == null || component.isEmpty() ? host : host + "/" + component;
    }
}
