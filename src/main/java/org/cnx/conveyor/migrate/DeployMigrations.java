package org.cnx.conveyor.migrate;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.job.JobStep;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.migrate.EnvironmentDatabases.OpenDatabase;
import org.cnx.conveyor.migrate.MigrationRecords.Origin;
import org.cnx.conveyor.migrate.engine.AppliedMigration;
import org.cnx.conveyor.migrate.engine.MigrationEngine;
import org.cnx.conveyor.migrate.engine.MigrationFailed;
import org.cnx.conveyor.migrate.engine.MigrationPlan;
import org.cnx.conveyor.migrate.engine.MigrationPlan.Undo;
import org.cnx.conveyor.migrate.engine.MigrationScript;

/**
 * The migrate phase of one deploy job (step 3 of a deploy, see docs/deploying.md): undo what the target release no longer has, run what it
 * adds, each in its own transaction and journaled; and, when the deploy rolls back, take all of it back from the
 * journal, newest first.
 */
public final class DeployMigrations {

    private final RunningJob job;
    private final EnvironmentDefinition definition;
    private final Optional<ReleaseMigrations> target;
    private final String unreadable;
    private final Migrations services;
    private MigrationPlan plan;

    DeployMigrations(
            RunningJob job,
            EnvironmentDefinition definition,
            Optional<ReleaseMigrations> target,
            String unreadable,
            Migrations services) {
        this.job = job;
        this.definition = definition;
        this.target = target;
        this.unreadable = unreadable;
        this.services = services;
    }

    /** Runs the phase; returns why it stopped when it did not finish (its own changes are then still in place). */
    public Optional<String> run() {
        job.journal().phase(job.id(), Phase.MIGRATE);
        if (unreadable != null) {
            return Optional.of(unreadable);
        }
        if (target.isEmpty()) {
            return Optional.empty();
        }
        ReleaseMigrations migrations = target.get();
        String component = migrations.component();
        try (OpenDatabase db =
                        services.databases().open(definition, line -> job.log().info(line));
                MigrationEngine migrator = services.engines().open(definition, db, migrations, job.requestedBy())) {
            plan = migrator.plan(
                    migrations.set(), version -> services.records().knownUndo(job.environmentId(), version));
            logPlan(db, migrations);
            List<String> blockers = plan.blockers();
            if (!blockers.isEmpty()) {
                return Optional.of("migrations cannot run: " + String.join("; ", blockers));
            }
            if (!plan.irreversible().isEmpty() && !job.allowIrreversible()) {
                return Optional.of(irreversibleMessage(plan.irreversible(), migrations.releaseId()));
            }
            try (MigrationEngine kept = migrator.keepingConnection()) {
                for (Undo undo : plan.undo()) {
                    Optional<String> failure = undo(kept, undo.applied(), undo.undoSql(), Phase.MIGRATE, component);
                    if (failure.isPresent()) {
                        return failure;
                    }
                    forgetDeferredAfter(kept, undo.applied(), migrations);
                }
            }
            return forward(migrator, migrations);
        } catch (EnvironmentDatabases.Unreachable e) {
            return Optional.of(e.getMessage());
        } catch (SQLException e) {
            return Optional.of(
                    "cannot read the migration history of " + definition.name() + "'s database: " + e.getMessage());
        }
    }

    /**
     * A deferred backfill that ran after an undone migration filled what the undo took away: it is forgotten, so it
     * runs again once the migration is back, instead of staying recorded over an empty column.
     */
    private void forgetDeferredAfter(MigrationEngine migrator, AppliedMigration undone, ReleaseMigrations migrations)
            throws SQLException {
        for (String version : migrator.forgetDeferredAfter(undone, migrations.set())) {
            services.records().forgotten(origin(), version, undone);
            job.log()
                    .info(
                            JobMigrationListener.HOST,
                            migrations.component(),
                            "deferred migration V" + version + " ran after " + undone.label()
                                    + ", which was just undone: it is no longer recorded as applied, and runs again"
                                    + " after the next deploy that brings " + undone.label() + " back");
        }
    }

    private Optional<String> forward(MigrationEngine migrator, ReleaseMigrations migrations) {
        JobMigrationListener listener =
                new JobMigrationListener(job, Phase.MIGRATE, migrations.component(), services.schemaDiff());
        try {
            List<AppliedMigration> applied = migrator.migrate(migrations.set(), listener);
            listener.commitFinished();
            applied.forEach(row -> services.records()
                    .applied(origin(), row, migrations.set().scriptFor(row).orElse(null)));
            job.log()
                    .info(
                            JobMigrationListener.HOST,
                            migrations.component(),
                            applied.isEmpty()
                                    ? "database already up to date"
                                    : applied.size() + " migration(s) applied");
            return Optional.empty();
        } catch (MigrationFailed e) {
            listener.commitFinished();
            listener.failUnfinished(e.getMessage());
            services.records().failed(origin(), e.script(), e.getMessage());
            return Optional.of(e.getMessage());
        } finally {
            listener.commitFinished();
        }
    }

    private Optional<String> undo(
            MigrationEngine migrator, AppliedMigration applied, String undoSql, Phase phase, String component) {
        JobMigrationListener listener = new JobMigrationListener(job, phase, component, services.schemaDiff());
        try {
            migrator.undo(applied, undoSql, listener);
            listener.commitFinished();
            services.records().undone(origin(), applied);
            return Optional.empty();
        } catch (MigrationFailed e) {
            listener.failUnfinished(e.getMessage());
            services.records().failed(origin(), "U" + applied.script().substring(1), e.getMessage());
            return Optional.of(e.getMessage());
        }
    }

    /** True when this job changed the database (so a failure means a rollback, not a plain failure). */
    public boolean changedDatabase() {
        return job.steps().stream()
                .anyMatch(s -> s.host.equals(JobMigrationListener.HOST)
                        && s.phase == Phase.MIGRATE
                        && s.state() != JobStep.State.FAILED);
    }

    /**
     * Takes back every change this job made to the database, newest first: undoes what it applied, re-applies what it
     * undid. Safe to run again after a crash (each step checks the database's history first).
     *
     * @return what could not be taken back; empty when the database is as it was before the job
     */
    public List<String> compensate() {
        List<JobStep> steps = job.steps().stream()
                .filter(s -> s.host.equals(JobMigrationListener.HOST) && s.phase == Phase.MIGRATE)
                .collect(Collectors.toCollection(ArrayList::new));
        if (steps.isEmpty()) {
            return List.of();
        }
        Collections.reverse(steps);
        String component = target.map(ReleaseMigrations::component).orElse("db");
        List<String> problems = new ArrayList<>();
        try (OpenDatabase db = services.databases().open(definition);
                MigrationEngine migrator =
                        services.engines().open(definition, db, target.orElseThrow(), job.requestedBy());
                MigrationEngine kept = migrator.keepingConnection()) {
            compensate(kept, steps, component, problems);
        } catch (EnvironmentDatabases.Unreachable | SQLException e) {
            problems.add("cannot reach the database to undo this job's migrations: " + e.getMessage());
        }
        return problems;
    }

    private void compensate(MigrationEngine migrator, List<JobStep> steps, String component, List<String> problems)
            throws SQLException {
        for (JobStep step : steps) {
            Map<String, AppliedMigration> applied = migrator.history().stream()
                    .filter(r -> r.success() && r.isVersionedSql())
                    .collect(Collectors.toMap(AppliedMigration::version, r -> r, (a, b) -> b));
            switch (step.action) {
                case "apply" -> takeBackApply(migrator, applied.get(step.beforeValue), component, problems);
                case "undo" -> {
                    if (step.state() == JobStep.State.DONE && !applied.containsKey(step.beforeValue)) {
                        reapply(migrator, step.beforeValue, component, problems);
                    }
                }
                default ->
                    job.log()
                            .info(
                                    JobMigrationListener.HOST,
                                    component,
                                    "repeatable migration " + step.beforeValue
                                            + " is not reverted (repeatables are re-run by the next deploy, never undone)");
            }
        }
    }

    private void takeBackApply(
            MigrationEngine migrator, AppliedMigration row, String component, List<String> problems) {
        if (row == null) {
            return;
        }
        String undoSql = target.flatMap(t -> t.set().versioned(row.version()))
                .map(MigrationScript::undo)
                .or(() -> services.records().knownUndo(job.environmentId(), row.version()))
                .orElse(null);
        if (undoSql == null) {
            problems.add("migration " + row.label() + " has no undo script, so the database keeps it");
            return;
        }
        undo(migrator, row, undoSql, Phase.ROLLBACK, component).ifPresent(problems::add);
    }

    private void reapply(MigrationEngine migrator, String version, String component, List<String> problems) {
        Optional<MigrationRun> run =
                services.records().lastApplied(job.environmentId(), version).filter(r -> r.forwardSql != null);
        if (run.isEmpty()) {
            problems.add(
                    "V" + version + " was undone by this job and its script is unknown, so it cannot be applied again");
            return;
        }
        MigrationRun restored = run.get();
        AppliedMigration row = new AppliedMigration(
                0,
                version,
                restored.description,
                "SQL",
                restored.script,
                restored.checksum,
                job.requestedBy(),
                null,
                0,
                true);
        JobMigrationListener listener = new JobMigrationListener(job, Phase.ROLLBACK, component, services.schemaDiff());
        try {
            migrator.reapply(row, restored.forwardSql, listener);
            listener.commitFinished();
            services.records().reapplied(origin(), restored);
        } catch (MigrationFailed e) {
            listener.failUnfinished(e.getMessage());
            problems.add(e.getMessage());
        }
    }

    /** After commit: queues the deferred migrations as a follow-up job when the release has pending ones. */
    public void afterCommit() {
        if (target.isEmpty()
                || target.get().set().deferred().isEmpty()
                || (plan != null && plan.deferredPending().isEmpty())) {
            return;
        }
        long id = services.queueDeferred(job, target.get().releaseId()).id();
        job.log()
                .info(
                        JobMigrationListener.HOST,
                        target.get().component(),
                        "deferred migrations run next, in job #" + id);
    }

    private void logPlan(OpenDatabase db, ReleaseMigrations migrations) {
        String where = migrations.component() + " " + migrations.version() + " → " + db.description();
        if (plan.isEmpty()) {
            job.log()
                    .info(
                            JobMigrationListener.HOST,
                            migrations.component(),
                            "migrations: nothing to do (" + where + ")");
            return;
        }
        job.log()
                .info(
                        JobMigrationListener.HOST,
                        migrations.component(),
                        "migrations (" + where + "): "
                                + plan.undo().size() + " to undo, "
                                + plan.pending().size() + " to apply, "
                                + plan.deferredPending().size() + " deferred after commit");
    }

    private Origin origin() {
        return new Origin(job.environmentId(), job.environment(), job.id(), job.releaseId(), job.requestedBy());
    }

    static String irreversibleMessage(List<MigrationScript> irreversible, long releaseId) {
        return "release " + releaseId + " runs migration(s) without an undo script: "
                + irreversible.stream().map(MigrationScript::fileName).collect(Collectors.joining(", "))
                + "; a rollback could not take them back. Confirm with \"allowIrreversible\": true (or the checkbox) to deploy anyway";
    }
}
