package org.cnx.conveyor.migrate;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cnx.conveyor.environment.EnvironmentHealth;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.job.JobHandler;
import org.cnx.conveyor.job.JobSecrets;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.migrate.EnvironmentDatabases.OpenDatabase;
import org.cnx.conveyor.migrate.MigrationRecords.Origin;
import org.cnx.conveyor.migrate.engine.AppliedMigration;
import org.cnx.conveyor.migrate.engine.MigrationEngine;
import org.cnx.conveyor.migrate.engine.MigrationFailed;
import org.cnx.conveyor.migrate.engine.MigrationPlan;
import org.cnx.conveyor.release.ReleaseService;

/**
 * Runs {@code migrate} jobs (the live release's pending migrations, then its deferred ones, on request) and
 * {@code deferred-migrate} jobs (a deploy's follow-up). Neither touches the hosts; a failed deferred migration leaves
 * the deploy standing and puts a warning on the environment.
 */
@ApplicationScoped
class MigrateHandler implements JobHandler {

    private final EnvironmentService environments;
    private final EnvironmentHealth health;
    private final ReleaseService releases;
    private final MigrationSets sets;
    private final Migrations migrations;
    private final JobSecrets secrets;
    private final ConveyorServer server;

    MigrateHandler(
            EnvironmentService environments,
            EnvironmentHealth health,
            ReleaseService releases,
            MigrationSets sets,
            Migrations migrations,
            JobSecrets secrets,
            ConveyorServer server) {
        this.server = server;
        this.environments = environments;
        this.health = health;
        this.releases = releases;
        this.sets = sets;
        this.migrations = migrations;
        this.secrets = secrets;
    }

    @Override
    public Set<JobType> types() {
        return EnumSet.of(JobType.MIGRATE, JobType.DEFERRED_MIGRATE, JobType.RESET_DATA);
    }

    @Override
    public void recover(RunningJob job) {
        // Each migration ran in its own transaction: running again picks up exactly what is still pending.
        job.log().info("recovering: the Conveyor running this job stopped; running what is still pending");
        run(job);
    }

    @Override
    public void run(RunningJob job) {
        EnvironmentDefinition definition =
                QuarkusTransaction.requiringNew().call(() -> environments.definition(job.environment()));
        List<String> missing = secrets.mask(job, definition);
        if (!missing.isEmpty()) {
            fail(job, JobSecrets.missingMessage(missing));
            return;
        }
        if (job.type() == JobType.RESET_DATA) {
            Optional<String> refused = dropEmbedded(job, definition);
            if (refused.isPresent()) {
                fail(job, refused.get());
                return;
            }
        }
        Optional<ReleaseMigrations> target;
        try {
            target = sets.of(definition, QuarkusTransaction.requiringNew().call(() -> releases.get(job.releaseId())));
        } catch (MigrationSets.Unreadable e) {
            fail(job, e.getMessage());
            return;
        }
        if (target.isEmpty()) {
            job.log().info("release " + job.releaseId() + " carries no migrations for " + job.environment());
            succeed(job);
            return;
        }
        job.journal().phase(job.id(), job.type() == JobType.DEFERRED_MIGRATE ? Phase.DEFERRED : Phase.MIGRATE);
        try (OpenDatabase db = migrations
                        .databases()
                        .open(definition, line -> job.log().info(line));
                MigrationEngine migrator = migrations.engines().open(definition, db, target.get(), job.requestedBy())) {
            MigrationPlan plan = migrator.plan(target.get().set(), v -> Optional.empty());
            if (!plan.problems().isEmpty()) {
                fail(job, "migrations cannot run: " + String.join("; ", plan.problems()));
                return;
            }
            Optional<String> failure = job.type() != JobType.DEFERRED_MIGRATE
                    ? forwardThenDeferred(job, migrator, plan, target.get())
                    : deferred(job, migrator, target.get());
            failure.ifPresentOrElse(why -> fail(job, why), () -> succeed(job));
        } catch (EnvironmentDatabases.Unreachable | SQLException e) {
            fail(job, e.getMessage());
        }
    }

    /** Reset data: the embedded database is dropped here and created empty again when the migrations open it. */
    private Optional<String> dropEmbedded(RunningJob job, EnvironmentDefinition definition) {
        Optional<String> name = definition.database().flatMap(EnvironmentDefinition.DatabaseRef::embedded);
        if (name.isEmpty()) {
            return Optional.of("reset data needs a database on Conveyor's own server (database: embedded: NAME); "
                    + job.environment() + " has none, so nothing was changed");
        }
        job.journal().phase(job.id(), Phase.RESET);
        try {
            server.dropEmbedded(name.get());
            job.log().info("dropped database " + name.get() + "; it is created empty and migrated again");
            if (definition
                    .database()
                    .flatMap(EnvironmentDefinition.DatabaseRef::seed)
                    .isPresent()) {
                // Seeded now, not only when migrations open it: a release without migrations gets its data too.
                migrations
                        .databases()
                        .open(definition, line -> job.log().info(line))
                        .close();
            }
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of("cannot drop database " + name.get() + ": " + e.getMessage());
        } catch (EnvironmentDatabases.Unreachable e) {
            return Optional.of(e.getMessage());
        }
    }

    private Optional<String> forwardThenDeferred(
            RunningJob job, MigrationEngine migrator, MigrationPlan plan, ReleaseMigrations target) {
        plan.undo()
                .forEach(
                        u -> job.log()
                                .info(
                                        JobMigrationListener.HOST,
                                        target.component(),
                                        "migration " + u.applied().label()
                                                + " is applied but not in the live release; left in place (only a deploy or rollback undoes migrations)"));
        JobMigrationListener listener =
                new JobMigrationListener(job, Phase.MIGRATE, target.component(), migrations.schemaDiff());
        try {
            record(job, target, migrator.migrate(target.set(), listener));
        } catch (MigrationFailed e) {
            migrations.records().failed(origin(job), e.script(), e.getMessage());
            return Optional.of(e.getMessage());
        } finally {
            listener.commitFinished();
        }
        return deferred(job, migrator, target);
    }

    private Optional<String> deferred(RunningJob job, MigrationEngine migrator, ReleaseMigrations target) {
        JobMigrationListener listener =
                new JobMigrationListener(job, Phase.DEFERRED, target.component(), migrations.schemaDiff());
        try {
            record(job, target, migrator.migrateDeferred(target.set(), listener));
            return Optional.empty();
        } catch (MigrationFailed e) {
            migrations
                    .records()
                    .failed(
                            origin(job),
                            e.script() == null || e.script().endsWith(".py") ? e.script() : "deferred/" + e.script(),
                            e.getMessage());
            return Optional.of("deferred " + e.getMessage());
        } finally {
            listener.commitFinished();
        }
    }

    private void record(RunningJob job, ReleaseMigrations target, List<AppliedMigration> applied) {
        for (AppliedMigration row : applied) {
            migrations
                    .records()
                    .applied(origin(job), row, target.set().scriptFor(row).orElse(null));
        }
        job.log().info(applied.isEmpty() ? "nothing was pending" : applied.size() + " migration(s) applied");
    }

    private void succeed(RunningJob job) {
        job.log().info("succeeded");
        job.finish(j -> {
            j.succeed();
            // A deferred run that went through clears the warning an earlier failed one left.
            health.warn(job.environmentId(), null, null);
        });
    }

    private void fail(RunningJob job, String why) {
        job.log().info("failed: " + why);
        job.finish(j -> {
            j.fail(why);
            if (job.type() == JobType.DEFERRED_MIGRATE) {
                health.warn(
                        job.environmentId(),
                        job.id(),
                        why + " — the deploy stands; fix the migration and run pending migrations again");
            }
        });
    }

    private static Origin origin(RunningJob job) {
        return new Origin(job.environmentId(), job.environment(), job.id(), job.releaseId(), job.requestedBy());
    }
}
