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

    private Drift() {
    }

    /**
     * What differs, seen from the live database: {@code added} objects exist only live, {@code removed} only in the
     * reference, {@code changed} differ. {@code notes} say what the reference could not include.
     */
    public record Result(SchemaDiff diff, List<String> notes, int replayed) {
        public boolean clean() {
            return diff.isEmpty();
        }
    }

    /**
     * @param scriptOf the text of an applied migration (a history row), if known
     */
    public static Result check(TargetDatabase live, TargetDatabase scratch, Function<AppliedMigration, Optional<String>> scriptOf)
            throws SQLException {
        List<String> notes = new ArrayList<>();
        int replayed = 0;
        try (Connection reference = scratch.open(); Connection liveConnection = live.open()) {
            List<AppliedMigration> applied = new ArrayList<>(Migrator.history(liveConnection, Migrator.HISTORY));
            applied.addAll(Migrator.history(liveConnection, Migrator.DEFERRED_HISTORY));
            for (AppliedMigration row : applied) {
                if ("BASELINE".equals(row.type())) {
                    if (!"0".equals(row.version())) {
                        notes.add("the database was baselined at V" + row.version() + ": objects created before it are not in the"
                                + " reference and show as existing only live");
                    }
                    continue;
                }
                if (!row.success()) {
                    continue;
                }
                Optional<String> sql = scriptOf.apply(row);
                if (sql.isEmpty()) {
                    notes.add("the text of " + row.script() + " is unknown (not in the release and never applied by Conveyor);"
                            + " its objects show as existing only live");
                    continue;
                }
                replay(reference, row, sql.get());
                replayed++;
            }
            return new Result(SchemaDiff.between(SchemaSnapshot.take(reference, Migrator.HISTORY_TABLES),
                    SchemaSnapshot.take(liveConnection, Migrator.HISTORY_TABLES)), notes, replayed);
        }
    }

    private static void replay(Connection reference, AppliedMigration row, String sql) throws SQLException {
        reference.setAutoCommit(false);
        try {
            Migrator.execute(reference, sql);
            reference.commit();
        } catch (SQLException e) {
            reference.rollback();
            throw new SQLException("replaying " + row.script() + " on the scratch database failed: " + e.getMessage(), e);
        } finally {
            reference.setAutoCommit(true);
        }
    }
}
