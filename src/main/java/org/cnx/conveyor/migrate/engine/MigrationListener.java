package org.cnx.conveyor.migrate.engine;

import java.sql.Connection;

/**
 * Told before and after each migration or undo, on the connection and inside the transaction that runs it, so it can
 * journal the step and snapshot the schema as the migration sees it.
 */
public interface MigrationListener {

    /** What is about to run or just ran: {@code action} is {@code apply} or {@code undo}. */
    record Step(String action, String version, String description, String script) {
        public String label() {
            return action + " " + (version == null ? "R" : "V" + version) + " " + description;
        }
    }

    void before(Step step, Connection connection) throws Exception;

    void after(Step step, Connection connection) throws Exception;

    /** A line the migration printed while it ran (db-migrator's Python migrations log their progress). */
    default void output(Step step, String line) {}

    /** The step failed and its transaction was rolled back. */
    default void failed(Step step, String message) {}

    MigrationListener NONE = new MigrationListener() {
        @Override
        public void before(Step step, Connection connection) {}

        @Override
        public void after(Step step, Connection connection) {}
    };
}
