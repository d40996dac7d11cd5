package org.cnx.conveyor.migrate.engine;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs a migration set against one database, whatever its format: Flyway's SQL ({@link Migrator}) or db-migrator's
 * Python ({@link DbMigrator}). Plan, apply, undo, re-apply, repair and baseline, with the format's own history table.
 */
public interface MigrationEngine extends AutoCloseable {

    TargetDatabase database();

    /** The history of versioned (and repeatable) migrations, oldest first; empty when there is none yet. */
    List<AppliedMigration> history() throws SQLException;

    /** The history of deferred migrations, when the format keeps it apart; oldest first. */
    List<AppliedMigration> deferredHistory() throws SQLException;

    /**
     * What {@link #migrate} would do. {@code knownUndo} gives the undo script of an applied version that the set does
     * not contain (the server remembers them from when they were applied).
     */
    MigrationPlan plan(MigrationSet set, Function<String, Optional<String>> knownUndo) throws SQLException;

    /** Runs every pending versioned and repeatable migration of the set, each committed on its own. */
    List<AppliedMigration> migrate(MigrationSet set, MigrationListener listener) throws MigrationFailed;

    /** Runs the pending deferred migrations of the set, each committed on its own. */
    List<AppliedMigration> migrateDeferred(MigrationSet set, MigrationListener listener) throws MigrationFailed;

    /**
     * Undoes an applied migration and removes its history row, together.
     *
     * @return the removed history row, so {@link #reapply} can put it back
     */
    AppliedMigration undo(AppliedMigration migration, String undoText, MigrationListener listener)
            throws MigrationFailed;

    /** Runs a migration again and writes back its history row: the inverse of {@link #undo}. */
    void reapply(AppliedMigration migration, String text, MigrationListener listener) throws MigrationFailed;

    /** Records a migration as applied without running it (repair). */
    void markApplied(MigrationScript script) throws SQLException;

    /** Forgets a migration (applied or failed) without running anything (repair). */
    boolean markNotApplied(String version, boolean deferred) throws SQLException;

    /**
     * Records an existing database as already having the set's migrations up to {@code version}; refused once it has
     * a history.
     */
    void baseline(MigrationSet set, String version, String description) throws MigrationFailed;

    /**
     * Forgets deferred migrations that ran after {@code since} was applied: they filled what an undo just took away,
     * so they must run again once it is back.
     *
     * @return the versions forgotten
     */
    List<String> forgetDeferredAfter(AppliedMigration since, MigrationSet set) throws SQLException;

    /** This engine, on one connection kept until it is closed (for runs of many undo steps). */
    MigrationEngine keepingConnection();

    @Override
    void close();
}
