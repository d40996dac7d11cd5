package org.cnx.conveyor.migrate;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.MigrationFormat;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.job.JobOrder;
import org.cnx.conveyor.job.JobService;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.migrate.EnvironmentDatabases.OpenDatabase;
import org.cnx.conveyor.migrate.MigrationRecords.Origin;
import org.cnx.conveyor.migrate.MigrationRun.Action;
import org.cnx.conveyor.migrate.engine.MigrationEngine;
import org.cnx.conveyor.migrate.engine.MigrationFailed;
import org.cnx.conveyor.migrate.engine.MigrationScript;
import org.cnx.conveyor.migrate.engine.MigrationSet;
import org.cnx.conveyor.migrate.engine.Migrator;
import org.cnx.conveyor.release.ReleaseService;
import org.flywaydb.core.api.MigrationVersion;

/** Admin repairs of an environment's migration history, each audited: run pending now, mark, baseline. */
@ApplicationScoped
public class MigrationRepair {

    private static final Pattern VERSION = Pattern.compile("[0-9]+(?:[._][0-9]+)*");

    private final EnvironmentService environments;
    private final MigrationSets sets;
    private final EnvironmentDatabases databases;
    private final MigrationRecords records;
    private final JobService jobs;
    private final AuditLog audit;
    private final MigrationEngines engines;
    private final ReleaseService releases;

    MigrationRepair(
            EnvironmentService environments,
            MigrationSets sets,
            EnvironmentDatabases databases,
            MigrationRecords records,
            JobService jobs,
            AuditLog audit,
            MigrationEngines engines,
            ReleaseService releases) {
        this.engines = engines;
        this.releases = releases;
        this.environments = environments;
        this.sets = sets;
        this.databases = databases;
        this.records = records;
        this.jobs = jobs;
        this.audit = audit;
    }

    /** Who asks, and from where, for the audit log. */
    public record Actor(String name, String address) {}

    public JobSummary runPending(String environment, Actor actor) {
        JobSummary job = jobs.submit(JobOrder.of(JobType.MIGRATE, environment, actor.name()));
        audit(actor, "migrations.run_pending", environment, "job #" + job.id());
        return job;
    }

    /** Records a migration of the live release as applied without running it. */
    public void markApplied(String environment, String version, Actor actor) {
        String normalised = normalise(version);
        Environment env = environments.byName(environment);
        MigrationSet live = liveSet(environment, env);
        MigrationScript script = live.versioned(normalised)
                .or(() -> live.deferred().stream()
                        .filter(d -> d.version().equals(normalised))
                        .findFirst())
                .orElseThrow(
                        () -> new NotFound("the live release of " + environment + " has no migration V" + normalised));
        withDatabase(environment, migrator -> {
            migrator.markApplied(script);
            return null;
        });
        records.repaired(
                origin(env, actor),
                Action.MARKED_APPLIED,
                script.kind().name().toLowerCase(Locale.ROOT),
                normalised,
                script.description(),
                script.fileName(),
                Migrator.checksum(script.sql()),
                script);
        audit(actor, "migrations.mark_applied", environment, script.fileName());
    }

    /** Forgets a migration in the database's history without running anything. */
    public void markNotApplied(String environment, String version, boolean deferred, Actor actor) {
        String normalised = normalise(version);
        Environment env = environments.byName(environment);
        boolean removed = withDatabase(environment, migrator -> migrator.markNotApplied(normalised, deferred));
        if (!removed) {
            throw new NotFound("V" + normalised + " is not in the " + (deferred ? "deferred " : "")
                    + "migration history of " + environment);
        }
        records.repaired(
                origin(env, actor),
                Action.MARKED_NOT_APPLIED,
                deferred ? "deferred" : "versioned",
                normalised,
                "",
                "V" + normalised,
                null,
                null);
        audit(actor, "migrations.mark_not_applied", environment, (deferred ? "deferred " : "") + "V" + normalised);
    }

    /**
     * What a baseline records: Flyway's {@code version} marker, every migration of a release's set up to
     * {@code version} (db-migrator's {@code init}), or the versions db-migrator's {@code schema_migrations} says ran
     * ({@code fromSchemaMigrations}). {@code release} names the set (default: the live release's).
     */
    public record BaselineOrder(String version, String description, boolean fromSchemaMigrations, Long release) {}

    /** Marks an existing database as already migrated; refused once the database has a history. */
    public void baseline(String environment, BaselineOrder order, Actor actor) {
        Environment env = environments.byName(environment);
        EnvironmentDefinition definition = environments.definition(environment);
        boolean dbMigrator = definition.components().values().stream()
                .anyMatch(c -> c.migrations()
                        .map(m -> m.format() == MigrationFormat.DB_MIGRATOR)
                        .orElse(false));
        boolean needsSet = dbMigrator || order.fromSchemaMigrations();
        String normalised = order.version() == null && needsSet ? null : normalise(order.version());
        String text = order.description() == null || order.description().isBlank()
                ? "baseline"
                : order.description().strip();
        MigrationSet set = needsSet ? set(environment, env, order.release()) : MigrationSet.empty();
        String detail = withDatabase(environment, migrator -> {
            if (!migrator.history().isEmpty()) {
                throw new Conflict(environment + "'s database already has a migration history; a baseline is only"
                        + " for a database that never had one");
            }
            try {
                if (order.fromSchemaMigrations() && migrator instanceof Migrator flyway) {
                    List<String> left = flyway.baselineFromSchemaMigrations(set);
                    return "history taken from schema_migrations"
                            + (left.isEmpty() ? "" : "; not in the release, so not taken: " + String.join(", ", left));
                }
                migrator.baseline(set, normalised, text);
                return normalised == null ? "every migration of the release" : "V" + normalised + " " + text;
            } catch (MigrationFailed e) {
                throw new Conflict("baseline failed: " + e.getMessage());
            }
        });
        records.repaired(
                origin(env, actor),
                Action.BASELINE,
                "versioned",
                normalised,
                detail,
                "B" + (normalised == null ? "" : normalised),
                null,
                null);
        audit(actor, "migrations.baseline", environment, detail);
    }

    private MigrationSet set(String environment, Environment env, Long release) {
        if (release == null) {
            return liveSet(environment, env);
        }
        try {
            return sets.known(environments.definition(environment), releases.get(release))
                    .map(ReleaseMigrations::set)
                    .orElseThrow(
                            () -> new Conflict("release " + release + " carries no migrations for " + environment));
        } catch (MigrationSets.Unreadable e) {
            throw new Conflict(e.getMessage());
        }
    }

    private MigrationSet liveSet(String environment, Environment env) {
        try {
            return sets.live(env, environments.definition(environment))
                    .map(ReleaseMigrations::set)
                    .orElseThrow(() -> new Conflict(environment + " runs no release that carries migrations"));
        } catch (MigrationSets.Unreadable e) {
            throw new Conflict(e.getMessage());
        }
    }

    private interface DatabaseWork<T> {
        T run(MigrationEngine migrator) throws SQLException;
    }

    private <T> T withDatabase(String environment, DatabaseWork<T> work) {
        EnvironmentDefinition definition = environments.definition(environment);
        try (OpenDatabase db = databases.open(definition);
                MigrationEngine migrator = engines.reading(definition, db, "conveyor")) {
            return work.run(migrator);
        } catch (EnvironmentDatabases.Unreachable | SQLException e) {
            throw new Conflict("cannot change the migration history of " + environment + ": " + e.getMessage());
        }
    }

    private static String normalise(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new Invalid("version: expected digits separated by . or _, like 20160104115058, found "
                    + (version == null ? "nothing" : "\"" + version + "\""));
        }
        return MigrationVersion.fromVersion(version).getVersion();
    }

    private static Origin origin(Environment env, Actor actor) {
        return new Origin(env.id, env.name, null, env.currentReleaseId, actor.name());
    }

    private void audit(Actor actor, String action, String environment, String detail) {
        QuarkusTransaction.requiringNew()
                .run(() ->
                        audit.record(actor.name(), actor.address(), action, Subjects.environment(environment), detail));
    }
}
