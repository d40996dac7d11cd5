package org.cnx.conveyor.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;

/**
 * Deliveries sent straight from the outbox: a subscription with nothing pending sends the events its cursor scanned
 * without writing a row first, then records the whole run in one transaction — the cursor moved past it and one row
 * per attempted event written by a single {@code INSERT … SELECT unnest(…)}. A crash before that transaction leaves
 * the cursor where it was, so the run is sent again (at least once, in order).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
class DirectDeliveries {

    private static final String MOVE_CURSOR = """
            UPDATE subscriptions
            SET cursor_seq = ?, next_attempt_at = ?, lease_expires_at = ?
            WHERE id = ? AND cursor_seq = ? AND lease_owner = ?
            """;

    // Timestamps travel as microseconds since the epoch: cheaper to write than ISO text, and as exact.
    private static final String INSERT_ROWS = """
            INSERT INTO deliveries (id, subscription_id, event_seq, status, attempts, first_attempt_at,
                                    last_attempt_at, next_attempt_at, status_code, response_excerpt, latency_ms,
                                    error, finished_at)
            SELECT r.id, ?, r.seq, r.status, r.attempts,
                   timestamptz 'epoch' + r.first_at * interval '1 microsecond',
                   timestamptz 'epoch' + r.last_at * interval '1 microsecond',
                   timestamptz 'epoch' + r.next_at * interval '1 microsecond',
                   r.code, r.excerpt, r.latency, r.error,
                   timestamptz 'epoch' + r.finished * interval '1 microsecond'
            FROM unnest(cast(? AS bigint[]), cast(? AS bigint[]), cast(? AS text[]), cast(? AS int[]),
                        cast(? AS bigint[]), cast(? AS bigint[]), cast(? AS bigint[]), cast(? AS int[]),
                        cast(? AS text[]), cast(? AS bigint[]), cast(? AS text[]), cast(? AS bigint[]))
                 AS r(id, seq, status, attempts, first_at, last_at, next_at, code, excerpt, latency, error, finished)
            ON CONFLICT (subscription_id, event_seq) DO NOTHING
            """;

    private final EntityManager db;
    private final EventsConfig.Webhooks config;

    DirectDeliveries(EntityManager db, EventsConfig config) {
        this.db = db;
        this.config = config.webhooks();
    }

    /**
     * Ids for the rows of a run, drawn before it is sent: the {@code Conveyor-Delivery} header names the row that
     * the run's record writes.
     */
    List<Long> reserveIds(int count) {
        @SuppressWarnings("unchecked")
        List<Number> ids = db.createNativeQuery(
                        "SELECT nextval(pg_get_serial_sequence('deliveries', 'id')) FROM generate_series(1, ?1)")
                .setParameter(1, count)
                .getResultList();
        return ids.stream().map(Number::longValue).toList();
    }

    /**
     * Records a run sent from the outbox: its attempts (in order; a failed one is the last) become rows, and the
     * cursor moves past what was settled — the whole scan when every event of the run was delivered, otherwise up
     * to the last attempted event, whose failure (a pending row) then holds back the rest until its retry. Nothing
     * is written when this instance no longer holds the lease or the cursor is no longer where the scan started:
     * another instance took over after this one's lease ran out, and sends (and records) the same events again.
     */
    void record(
            long subscriptionId,
            DeliveryQueue.Scanned scanned,
            List<DeliveryQueue.Attempt> attempts,
            int runSize,
            String owner,
            Instant leaseUntil) {
        if (attempts.isEmpty()) {
            return;
        }
        List<Delivery> rows = new ArrayList<>(attempts.size());
        for (DeliveryQueue.Attempt attempt : attempts) {
            Delivery row = Delivery.of(subscriptionId, attempt.delivery().eventSeq());
            row.id = attempt.delivery().deliveryId();
            if (attempt.outcome().delivered()) {
                row.succeed(attempt.outcome());
            } else {
                row.fail(attempt.outcome(), config);
            }
            rows.add(row);
        }
        DeliveryQueue.Attempt last = attempts.get(attempts.size() - 1);
        boolean settledAll = attempts.size() == runSize && last.outcome().delivered();
        long cursor = settledAll ? scanned.to() : last.delivery().eventSeq();
        Instant retryAt = rows.get(rows.size() - 1).nextAttemptAt;
        db.unwrap(Session.class).doWork(connection -> {
            if (moveCursor(connection, subscriptionId, scanned.from(), cursor, retryAt, owner, leaseUntil)) {
                insert(connection, subscriptionId, rows);
            }
        });
    }

    private static boolean moveCursor(
            Connection connection,
            long subscriptionId,
            long from,
            long to,
            Instant retryAt,
            String owner,
            Instant leaseUntil)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(MOVE_CURSOR)) {
            update.setLong(1, to);
            update.setTimestamp(2, retryAt == null ? null : Timestamp.from(retryAt));
            update.setTimestamp(3, Timestamp.from(leaseUntil));
            update.setLong(4, subscriptionId);
            update.setLong(5, from);
            update.setString(6, owner);
            return update.executeUpdate() == 1;
        }
    }

    private static void insert(Connection connection, long subscriptionId, List<Delivery> rows) throws SQLException {
        int n = rows.size();
        Long[] ids = new Long[n];
        Long[] seqs = new Long[n];
        String[] statuses = new String[n];
        Integer[] attempts = new Integer[n];
        Long[] firstAt = new Long[n];
        Long[] lastAt = new Long[n];
        Long[] nextAt = new Long[n];
        Integer[] codes = new Integer[n];
        String[] excerpts = new String[n];
        Long[] latencies = new Long[n];
        String[] errors = new String[n];
        Long[] finishedAt = new Long[n];
        for (int i = 0; i < n; i++) {
            Delivery row = rows.get(i);
            ids[i] = row.id;
            seqs[i] = row.eventSeq;
            statuses[i] = row.status().id();
            attempts[i] = row.attempts;
            firstAt[i] = micros(row.firstAttemptAt);
            lastAt[i] = micros(row.lastAttemptAt);
            nextAt[i] = micros(row.nextAttemptAt);
            codes[i] = row.statusCode;
            excerpts[i] = row.responseExcerpt;
            latencies[i] = row.latencyMs;
            errors[i] = row.error;
            finishedAt[i] = micros(row.finishedAt);
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_ROWS)) {
            insert.setLong(1, subscriptionId);
            Array[] arrays = {
                connection.createArrayOf("bigint", ids),
                connection.createArrayOf("bigint", seqs),
                connection.createArrayOf("text", statuses),
                connection.createArrayOf("int4", attempts),
                connection.createArrayOf("bigint", firstAt),
                connection.createArrayOf("bigint", lastAt),
                connection.createArrayOf("bigint", nextAt),
                connection.createArrayOf("int4", codes),
                connection.createArrayOf("text", excerpts),
                connection.createArrayOf("bigint", latencies),
                connection.createArrayOf("text", errors),
                connection.createArrayOf("bigint", finishedAt)
            };
            for (int i = 0; i < arrays.length; i++) {
                insert.setArray(i + 2, arrays[i]);
            }
            insert.executeUpdate();
        }
    }

    /** Microseconds since the epoch, rounded to the nearest as PostgreSQL rounds a timestamp's text. */
    static Long micros(Instant instant) {
        if (instant == null) {
            return null;
        }
        return Math.addExact(
                Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), (instant.getNano() + 500) / 1_000);
    }
}
