package org.cnx.conveyor.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.cnx.conveyor.common.DomainException.Invalid;

/**
 * Filters of the audit log, all optional: who ({@code actor}, exact), what ({@code action}, prefix such as
 * {@code promotion.}), about what ({@code subject}, prefix such as {@code environment:production}), when
 * ({@code since}/{@code until}, a date or an instant), and a page of {@code limit} entries older than {@code before}.
 */
public record AuditQuery(
        String actor, String action, String subject, String since, String until, Long before, int limit) {

    public static final int MAX_LIMIT = 1000;

    List<AuditEntry> run() {
        StringBuilder where = new StringBuilder("1 = 1");
        List<Object> values = new ArrayList<>();
        if (present(actor)) {
            values.add(actor.strip());
            where.append(" and actor = ?").append(values.size());
        }
        if (present(action)) {
            values.add(escape(action.strip()) + "%");
            where.append(" and action like ?").append(values.size());
        }
        if (present(subject)) {
            values.add(escape(subject.strip()) + "%");
            where.append(" and subject like ?").append(values.size());
        }
        if (present(since)) {
            values.add(instant("since", since, false));
            where.append(" and at >= ?").append(values.size());
        }
        if (present(until)) {
            values.add(instant("until", until, true));
            where.append(" and at < ?").append(values.size());
        }
        if (before != null) {
            values.add(before);
            where.append(" and id < ?").append(values.size());
        }
        int pageSize = Math.max(1, Math.min(limit, MAX_LIMIT));
        return AuditEntry.<AuditEntry>find(where + " order by id desc", values.toArray())
                .page(0, pageSize)
                .list();
    }

    /** A date means its whole day (UTC): {@code until=2026-11-28} includes the 28th. */
    private static Instant instant(String field, String value, boolean endOfDay) {
        String text = value.strip();
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (endOfDay ? day.plusDays(1) : day)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant();
            }
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Invalid(field + ": expected a date (2026-11-28) or an instant (2026-11-28T10:15:00Z), got \""
                    + text + "\"");
        }
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
