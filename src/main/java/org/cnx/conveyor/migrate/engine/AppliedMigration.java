package org.cnx.conveyor.migrate.engine;

import java.time.Instant;

/** One row of a database's migration history table, as Flyway writes it. */
public record AppliedMigration(
        int rank,
        String version,
        String description,
        String type,
        String script,
        Integer checksum,
        String installedBy,
        Instant installedOn,
        int executionMillis,
        boolean success) {

    /** A row for a versioned SQL migration (not a baseline marker, not a repeatable). */
    public boolean isVersionedSql() {
        return version != null && !"BASELINE".equals(type) && !"SCHEMA".equals(type);
    }

    public String label() {
        return (version == null ? "R" : "V" + version) + " " + description;
    }
}
