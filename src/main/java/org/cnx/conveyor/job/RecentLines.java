package org.cnx.conveyor.job;

import java.util.ArrayList;
import java.util.List;

/** The newest stored lines of one running job, kept in memory for its live viewers. */
final class RecentLines {

    private static final int CAPACITY = 20_000;

    private final List<LogLine> lines = new ArrayList<>();

    /** Appends lines just stored (in sequence order), dropping the oldest beyond the capacity. */
    synchronized void add(List<LogLine> stored) {
        lines.addAll(stored);
        int excess = lines.size() - CAPACITY;
        if (excess > 0) {
            lines.subList(0, excess).clear();
        }
    }

    /**
     * Lines after {@code afterSeq}, or null when they may be older than what memory holds (the caller reads the
     * database then). Sequence numbers are consecutive, so the position of a line follows from its number.
     */
    synchronized List<LogLine> after(long afterSeq, int limit) {
        if (lines.isEmpty()) {
            return null;
        }
        long first = lines.get(0).seq();
        if (afterSeq < first - 1) {
            return null;
        }
        int from = (int) Math.min(lines.size(), afterSeq - first + 1);
        int to = Math.min(lines.size(), from + limit);
        return new ArrayList<>(lines.subList(from, to));
    }
}
