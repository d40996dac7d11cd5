package org.cnx.conveyor.migrate.engine;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where a {@link Migrator} gets the connection for each step: a new one per step, or one kept for a run of steps
 * (a new PostgreSQL backend per step, with cold catalog caches for the schema snapshots, is most of an undo's cost).
 */
abstract class Connections implements AutoCloseable {

    abstract Connection borrow() throws SQLException;

    abstract void giveBack(Connection connection);

    @Override
    public abstract void close();

    /** A new connection for every step, closed after it. */
    static Connections perStep(TargetDatabase db) {
        return new Connections() {
            @Override
            Connection borrow() throws SQLException {
                return db.open();
            }

            @Override
            void giveBack(Connection connection) {
                closeQuietly(connection);
            }

            @Override
            public void close() {
                // Nothing is held between steps.
            }
        };
    }

    /** One connection for every step until closed; a broken one is replaced. */
    static Connections kept(TargetDatabase db) {
        return new Connections() {
            private Connection kept;

            @Override
            synchronized Connection borrow() throws SQLException {
                if (kept == null || !kept.isValid(2)) {
                    if (kept != null) {
                        closeQuietly(kept);
                    }
                    kept = db.open();
                }
                return kept;
            }

            @Override
            void giveBack(Connection connection) {
                // Kept for the next step.
            }

            @Override
            public synchronized void close() {
                if (kept != null) {
                    closeQuietly(kept);
                    kept = null;
                }
            }
        };
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // Closing a broken connection cannot fail in a way anyone could act on.
        }
    }
}
