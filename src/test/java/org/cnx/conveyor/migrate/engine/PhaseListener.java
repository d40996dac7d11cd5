package org.cnx.conveyor.migrate.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.migrate.schema.SchemaDiff;
import org.cnx.conveyor.migrate.schema.SchemaSnapshot;

/**
 * Does per migration what the server's migrate phase does ({@code JobMigrationListener} with {@code SchemaChanges}):
 * a journal row begun before the migration and marked done after its transaction committed, each write its own
 * transaction in a second database; log lines (kept in memory, as the job log buffers them); and, when
 * {@code snapshots} is on, a schema snapshot before and after inside the migration's transaction, under a savepoint,
 * and the diff's lines. For {@link MigrateBench}.
 */
final class PhaseListener implements MigrationListener {

    private final Connection journal;
    private final boolean snapshots;
    private final long jobId;
    private final List<String> log = new ArrayList<>();
    private final Map<Long, String> finished = new LinkedHashMap<>();
    private final List<Long> snapshotNanos = new ArrayList<>();
    private long current = -1;
    private long journalNanos;
    private SchemaSnapshot before;
    private long snapshotStart;
    private int lastSnapshotSize;

    PhaseListener(Connection journal, boolean snapshots, long jobId) {
        this.journal = journal;
        this.snapshots = snapshots;
        this.jobId = jobId;
    }

    /** The journal table, a copy of {@code job_steps} without its foreign key to {@code jobs}. */
    static final String JOURNAL_DDL = """
            CREATE TABLE job_steps (
                id           BIGSERIAL PRIMARY KEY,
                job_id       BIGINT      NOT NULL,
                phase        TEXT        NOT NULL,
                host         TEXT        NOT NULL,
                component    TEXT        NOT NULL,
                action       TEXT        NOT NULL,
                state        TEXT        NOT NULL,
                before_value TEXT,
                detail       TEXT,
                started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
                finished_at  TIMESTAMPTZ
            );
            CREATE INDEX job_steps_by_job ON job_steps (job_id, id)""";

    @Override
    public void before(Step step, Connection connection) throws SQLException {
        long start = System.nanoTime();
        try (PreparedStatement insert = journal.prepareStatement(
                "INSERT INTO job_steps (job_id, phase, host, component,"
                        + " action, state, before_value) VALUES (?, 'migrate', 'database', 'db', ?, 'STARTED', ?) RETURNING id")) {
            insert.setLong(1, jobId);
            insert.setString(2, step.action());
            insert.setString(3, step.version());
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                current = id.getLong(1);
            }
        }
        journalNanos += System.nanoTime() - start;
        log.add(step.label() + " (" + step.script() + ")");
        if (snapshots) {
            snapshotStart = System.nanoTime();
            before = snapshot(connection);
            snapshotNanos.add(System.nanoTime() - snapshotStart);
        }
    }

    @Override
    public void after(Step step, Connection connection) throws SQLException {
        List<String> diff = List.of();
        if (snapshots) {
            long start = System.nanoTime();
            SchemaSnapshot after = snapshot(connection);
            diff = SchemaDiff.between(before, after).lines();
            lastSnapshotSize = after.size();
            int last = snapshotNanos.size() - 1;
            snapshotNanos.set(last, snapshotNanos.get(last) + System.nanoTime() - start);
        }
        log.add(diff.isEmpty() ? "schema unchanged by " + step.script() : "schema changes of " + step.script() + ":");
        diff.forEach(line -> log.add("  " + line));
        finished.put(current, step.script() + "\n" + String.join("\n", diff));
        current = -1;
    }

    private static SchemaSnapshot snapshot(Connection connection) throws SQLException {
        Savepoint savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
        SchemaSnapshot snapshot = SchemaSnapshot.take(connection, Migrator.HISTORY_TABLES);
        if (savepoint != null) {
            connection.releaseSavepoint(savepoint);
        }
        return snapshot;
    }

    /** Marks every finished step done, each in its own transaction (a read of the row, then its update, as Hibernate does). */
    void commitFinished() throws SQLException {
        long start = System.nanoTime();
        journal.setAutoCommit(false);
        try (PreparedStatement read =
                        journal.prepareStatement("SELECT id, job_id, phase, host, component, action, state,"
                                + " before_value, detail, started_at, finished_at FROM job_steps WHERE id = ?");
                PreparedStatement done = journal.prepareStatement(
                        "UPDATE job_steps SET state = 'DONE', detail = ?, finished_at = now() WHERE id = ?")) {
            for (Map.Entry<Long, String> step : finished.entrySet()) {
                read.setLong(1, step.getKey());
                try (ResultSet row = read.executeQuery()) {
                    row.next();
                }
                done.setString(1, step.getValue());
                done.setLong(2, step.getKey());
                done.executeUpdate();
                journal.commit();
            }
        } finally {
            journal.setAutoCommit(true);
        }
        finished.clear();
        journalNanos += System.nanoTime() - start;
    }

    /** Time spent snapshotting and diffing, per migration in the order they ran (both snapshots and the diff). */
    List<Long> snapshotNanos() {
        return snapshotNanos;
    }

    /** Time spent writing the journal (begins and dones). */
    long journalNanos() {
        return journalNanos;
    }

    int lastSnapshotSize() {
        return lastSnapshotSize;
    }

    int logLines() {
        return log.size();
    }
}
