package org.cnx.conveyor.migrate.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * What migrating a database to a set would do: the migrations to undo (applied, but not in the set; newest first),
 * then the ones to run, then the deferred ones; and the problems that forbid running anything.
 */
public record MigrationPlan(
        List<Undo> undo, List<MigrationScript> pending, List<MigrationScript> deferredPending, List<String> problems) {

    /** An applied migration to take back; {@code undoSql} is null when no undo script is known. */
    public record Undo(AppliedMigration applied, String undoSql) {
        public boolean possible() {
            return undoSql != null;
        }
    }

    /** One blocker per file of the set that no engine runs and the recipe does not list as support. */
    public static List<String> notRunProblems(MigrationSet set) {
        return set.notRun().stream()
                .map(f -> f.path() + " is not run: " + f.reason() + ". If the migrations read it, list it under the"
                        + " recipe's migrations.support; otherwise remove it or rename it to run")
                .toList();
    }

    public boolean isEmpty() {
        return undo.isEmpty() && pending.isEmpty() && deferredPending.isEmpty();
    }

    /** Versioned migrations to run that have no undo script: rollback cannot take them back. */
    public List<MigrationScript> irreversible() {
        return pending.stream().filter(m -> !m.reversible()).toList();
    }

    /** Reasons this plan cannot run at all: problems, and undos without a script. */
    public List<String> blockers() {
        List<String> blockers = new ArrayList<>(problems);
        undo.stream()
                .filter(u -> !u.possible())
                .forEach(u -> blockers.add("migration " + u.applied().label() + " ("
                        + u.applied().script() + ") is applied to the database but is not in"
                        + " this release and has no undo script, so it cannot be taken back automatically"));
        return blockers;
    }
}
