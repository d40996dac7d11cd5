package org.cnx.conveyor.migrate.engine;

import org.flywaydb.core.api.MigrationVersion;

/**
 * One migration file of a set. {@code version} is Flyway's normalised spelling ({@code 1_2} becomes {@code 1.2}) and is
 * null for repeatable migrations; {@code sql} is the file's text (Python for db-migrator files); {@code undo} is the
 * text of the matching {@code U} script (for db-migrator, the file itself when its {@code down} does something), null
 * when there is none; {@code repeat} marks a db-migrator migration with {@code should_run}, checked on every run.
 */
public record MigrationScript(
        Kind kind, String version, String description, String fileName, String sql, String undo, boolean repeat) {

    public MigrationScript(Kind kind, String version, String description, String fileName, String sql, String undo) {
        this(kind, version, description, fileName, sql, undo, false);
    }

    /** Where the script runs: in the deploy (versioned, repeatable) or after it (deferred). */
    public enum Kind {
        VERSIONED,
        REPEATABLE,
        DEFERRED
    }

    /** True when rollback can take this migration back: it has an undo script (repeatables are simply re-run). */
    public boolean reversible() {
        return kind == Kind.REPEATABLE || undo != null;
    }

    /**
     * The file's path inside the migrations folder: Flyway's deferred ones live in {@code deferred/}, db-migrator's
     * ({@code .py}) all sit in the folder itself.
     */
    public String path() {
        return kind == Kind.DEFERRED && !fileName.endsWith(".py")
                ? MigrationSet.DEFERRED_FOLDER + "/" + fileName
                : fileName;
    }

    /** The label used in logs and messages, e.g. {@code V20160104115058 add_api_keys}. */
    public String label() {
        return (version == null ? "R" : "V" + version) + " " + description;
    }

    MigrationVersion flywayVersion() {
        return versionOf(version);
    }

    static MigrationVersion versionOf(String version) {
        return MigrationVersion.fromVersion(version);
    }
}
