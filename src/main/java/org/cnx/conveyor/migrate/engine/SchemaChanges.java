package org.cnx.conveyor.migrate.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import java.util.function.Consumer;
import org.cnx.conveyor.migrate.schema.SchemaDiff;
import org.cnx.conveyor.migrate.schema.SchemaSnapshot;

/** Snapshots the schema around one migration and renders what it changed; a failed snapshot never fails the migration. */
public final class SchemaChanges {

    private final boolean enabled;
    private final Consumer<String> warn;
    private SchemaSnapshot before;

    /** @param warn told when a snapshot could not be taken (the migration goes on without its diff) */
    public SchemaChanges(boolean enabled, Consumer<String> warn) {
        this.enabled = enabled;
        this.warn = warn;
    }

    public void before(Connection connection) {
        before = enabled ? snapshot(connection) : null;
    }

    /** The changed objects as diff lines ({@code + …}, {@code - …}, {@code ~ …}); empty when nothing changed or unknown. */
    public List<String> after(Connection connection) {
        if (before == null) {
            return List.of();
        }
        SchemaSnapshot after = snapshot(connection);
        return after == null ? List.of() : SchemaDiff.between(before, after).lines();
    }

    private SchemaSnapshot snapshot(Connection connection) {
        Savepoint savepoint = null;
        try {
            // A failed catalog query must not abort the migration's transaction: it rolls back to here instead.
            savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
            SchemaSnapshot snapshot = SchemaSnapshot.take(connection, Migrator.HISTORY_TABLES);
            if (savepoint != null) {
                connection.releaseSavepoint(savepoint);
            }
            return snapshot;
        } catch (Exception e) {
            try {
                if (savepoint != null) {
                    connection.rollback(savepoint);
                }
            } catch (SQLException ignored) {
                // The transaction itself is broken; the migration will report that.
            }
            warn.accept("schema snapshot skipped: " + e.getMessage());
            return null;
        }
    }
}
