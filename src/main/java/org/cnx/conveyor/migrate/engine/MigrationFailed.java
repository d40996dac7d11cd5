package org.cnx.conveyor.migrate.engine;

/** A migration (or its undo) did not complete; its own transaction was rolled back. */
public class MigrationFailed extends Exception {

    private final String script;

    public MigrationFailed(String script, String message, Throwable cause) {
        super(message, cause);
        this.script = script;
    }

    /** The file that failed, or null when the failure was not in a script (connection, history table). */
    public String script() {
        return script;
    }
}
