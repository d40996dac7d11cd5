package org.cnx.conveyor.migrate.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.cnx.conveyor.migrate.schema.SchemaDiff;
import org.cnx.conveyor.migrate.schema.SchemaSnapshot;

/**
 * Drift detection: replays a database's applied migrations on an empty scratch database (the reference) and compares
 * the two schemas, so changes made by hand show up.
 */
public final class Drift {

    private Drift() {}

    /**
     * What differs, seen from the live database: {@code added} objects exist only live, {@code removed} only in the
     * reference, {@code changed} differ. {@code notes} say what the reference could not include.
     */
    public record Result(SchemaDiff diff, List<String> notes, int replayed) {
        public boolean clean() {
            return diff.isEmpty();
        }
    }

    /** Runs one applied migration's text again on the reference database. */
    @FunctionalInterface
    public interface Replay {
        void apply(Connection reference, AppliedMigration row, String text) throws SQLException;
    }

    /** Flyway's replay: the SQL on the reference connection, in one transaction. */
    public static final Replay SQL = Drift::replay;

    /**
     * @param scriptOf the text of an applied migration (a history row), if known
     */
    public static Result check(
            TargetDatabase live, TargetDatabase scratch, Function<AppliedMigration, Optional<String>> scriptOf)
            throws SQLException {
        try (Migrator engine = new Migrator(live, "drift")) {
            return check(engine, scratch, scriptOf, SQL, false);
        }
    }

    /**
     * Replays what {@code live}'s history says was applied with {@code replay}; with {@code tolerant}, a migration
     * that fails to replay is noted instead of failing the check (db-migrator's Python may need what a scratch
     * database has not got, like a superuser).
     */
    public static Result check(
            MigrationEngine live,
            TargetDatabase scratch,
            Function<AppliedMigration, Optional<String>> scriptOf,
            Replay replay,
            boolean tolerant)
            throws SQLException {
        List<String> notes = new ArrayList<>();
        try (Connection reference = scratch.open();
                Connection liveConnection = live.database().open()) {
            int replayed = replayAll(live.history(), reference, scriptOf, replay, notes, tolerant)
                    // Deferred backfills change data more than schema; one that no longer applies (its table was rolled
                    // back) is noted rather than failing the whole check.
                    + replayAll(live.deferredHistory(), reference, scriptOf, replay, notes, true);
            return new Result(
                    SchemaDiff.between(
                            SchemaSnapshot.take(reference, Migrator.HISTORY_TABLES),
                            SchemaSnapshot.take(liveConnection, Migrator.HISTORY_TABLES)),
                    notes,
                    replayed);
        }
    }

    private static int replayAll(
            List<AppliedMigration> rows,
            Connection reference,
            Function<AppliedMigration, Optional<String>> scriptOf,
            Replay replay,
            List<String> notes,
            boolean tolerant)
            throws SQLException {
        int replayed = 0;
        for (AppliedMigration row : rows) {
            if (!replayable(row, notes)) {
                continue;
            }
            Optional<String> sql = scriptOf.apply(row);
            if (sql.isEmpty()) {
                notes.add(unknown(row));
                continue;
            }
            try {
                replay.apply(reference, row, sql.get());
                replayed++;
            } catch (SQLException e) {
                if (!tolerant) {
                    throw e;
                }
                notes.add(e.getMessage());
            }
        }
        return replayed;
    }

    private static boolean replayable(AppliedMigration row, List<String> notes) {
        if ("BASELINE".equals(row.type())) {
            if (!"0".equals(row.version())) {
                notes.add("the database was baselined at V" + row.version()
                        + ": objects created before it are not in the" + " reference and show as existing only live");
            }
            return false;
        }
        return row.success();
    }

    private static String unknown(AppliedMigration row) {
        return "the text of " + row.script() + " is unknown (not in the release and never applied by Conveyor);"
                + " its objects show as existing only live";
    }

    private static void replay(Connection reference, AppliedMigration row, String sql) throws SQLException {
        reference.setAutoCommit(false);
        try {
            Migrator.execute(reference, sql);
            reference.commit();
        } catch (SQLException e) {
            reference.rollback();
            throw new SQLException(
                    "replaying " + row.script() + " on the scratch database failed: " + e.getMessage(), e);
        } finally {
            reference.setAutoCommit(true);
        }
    }
}
