package org.cnx.conveyor.migrate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.events.EventPublisher;
import org.cnx.conveyor.events.EventType;
import org.cnx.conveyor.migrate.MigrationRun.Action;
import org.cnx.conveyor.migrate.engine.AppliedMigration;
import org.cnx.conveyor.migrate.engine.MigrationScript;
import org.flywaydb.core.api.MigrationVersion;

/** Conveyor's own record of what it did to environment databases; each call is its own transaction (jobs call it too). */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class MigrationRecords {

    /** Who did it and through which job of which release; {@code jobId} and {@code releaseId} may be null. */
    public record Origin(long environmentId, String environment, Long jobId, Long releaseId, String by) {}

    /** The payload of the migration.* events. */
    public record MigrationEvent(
            String environment,
            String action,
            String kind,
            String version,
            String description,
            String script,
            Long job,
            Long release,
            String by,
            String error) {

        static MigrationEvent of(MigrationRun run, Origin origin) {
            return new MigrationEvent(
                    origin.environment(),
                    run.action,
                    run.kind,
                    run.version,
                    run.description,
                    run.script,
                    run.jobId,
                    run.releaseId,
                    run.doneBy,
                    run.error);
        }
    }

    private final EventPublisher events;

    MigrationRecords(EventPublisher events) {
        this.events = events;
    }

    public void applied(Origin origin, AppliedMigration row, MigrationScript script) {
        MigrationRun run =
                base(origin, Action.APPLIED, kind(row, script), row.version(), row.description(), row.script());
        run.checksum = row.checksum();
        run.forwardSql = script == null ? null : script.sql();
        run.undoSql = script == null ? null : script.undo();
        run.persist();
        publish(EventType.MIGRATION_APPLIED, run, origin);
    }

    /** Re-application by a rollback: the same scripts as the record it restores. */
    public void reapplied(Origin origin, MigrationRun restored) {
        MigrationRun run =
                base(origin, Action.APPLIED, restored.kind, restored.version, restored.description, restored.script);
        run.checksum = restored.checksum;
        run.forwardSql = restored.forwardSql;
        run.undoSql = restored.undoSql;
        run.persist();
        publish(EventType.MIGRATION_APPLIED, run, origin);
    }

    public void undone(Origin origin, AppliedMigration row) {
        MigrationRun run = base(origin, Action.UNDONE, "versioned", row.version(), row.description(), row.script());
        run.persist();
        publish(EventType.MIGRATION_UNDONE, run, origin);
    }

    /** A deferred migration forgotten because a migration it ran after was undone (so it runs again later). */
    public void forgotten(Origin origin, String version, AppliedMigration undone) {
        MigrationRun run = base(
                origin,
                Action.FORGOTTEN,
                "deferred",
                version,
                "ran after " + undone.label() + ", which was undone; runs again once it is back",
                "V" + version);
        run.persist();
        publish(EventType.MIGRATION_UNDONE, run, origin);
    }

    public void failed(Origin origin, String script, String error) {
        MigrationRun run = base(
                origin,
                Action.FAILED,
                script != null && script.startsWith("R__") ? "repeatable" : "versioned",
                versionOf(script),
                script == null ? "" : script,
                script == null ? "" : script);
        run.error = error;
        run.persist();
        publish(EventType.MIGRATION_FAILED, run, origin);
    }

    public void repaired(
            Origin origin,
            Action action,
            String kind,
            String version,
            String description,
            String script,
            Integer checksum,
            MigrationScript source) {
        MigrationRun run = base(origin, action, kind, version, description, script);
        run.checksum = checksum;
        if (source != null) {
            run.forwardSql = source.sql();
            run.undoSql = source.undo();
        }
        run.persist();
    }

    public Optional<MigrationRun> lastApplied(long environmentId, String version) {
        return MigrationRun.lastApplied(environmentId, version);
    }

    /** The undo script Conveyor saw when it last applied this version to the environment's database. */
    public Optional<String> knownUndo(long environmentId, String version) {
        return MigrationRun.lastApplied(environmentId, version).map(run -> run.undoSql);
    }

    public List<MigrationRun> recent(long environmentId, int limit) {
        return MigrationRun.forEnvironment(environmentId, limit);
    }

    private void publish(EventType type, MigrationRun run, Origin origin) {
        events.publish(
                type, Subjects.environment(origin.environment()), origin.environment(), MigrationEvent.of(run, origin));
    }

    private static MigrationRun base(
            Origin origin, Action action, String kind, String version, String description, String script) {
        MigrationRun run = new MigrationRun();
        run.environmentId = origin.environmentId();
        run.jobId = origin.jobId();
        run.releaseId = origin.releaseId();
        run.action = action.id();
        run.kind = kind;
        run.version = version;
        run.description = description;
        run.script = script;
        run.doneBy = origin.by();
        return run;
    }

    private static String kind(AppliedMigration row, MigrationScript script) {
        if (script != null) {
            return script.kind().name().toLowerCase(Locale.ROOT);
        }
        return row.version() == null ? "repeatable" : "versioned";
    }

    private static String versionOf(String script) {
        if (script == null || !script.startsWith("V") || !script.contains("__")) {
            return null;
        }
        return MigrationVersion.fromVersion(script.substring(1, script.indexOf("__")))
                .getVersion();
    }
}
