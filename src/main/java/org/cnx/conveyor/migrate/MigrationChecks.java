package org.cnx.conveyor.migrate;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.job.DeployCheck;
import org.cnx.conveyor.job.DeployRequest;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.migrate.EnvironmentDatabases.OpenDatabase;
import org.cnx.conveyor.migrate.MigrationViews.MigrationPlanView;
import org.cnx.conveyor.migrate.MigrationViews.PlannedMigration;
import org.cnx.conveyor.migrate.engine.MigrationEngine;
import org.cnx.conveyor.migrate.engine.MigrationPlan;
import org.cnx.conveyor.migrate.engine.MigrationScript;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;

/**
 * The migrations a deploy would run, computed against the live database before the deploy is queued: shown in the
 * plan, and refusing a deploy past an unconfirmed irreversible migration or a rollback over one.
 */
@ApplicationScoped
public class MigrationChecks implements DeployCheck {

    private final EnvironmentService environments;
    private final ReleaseService releases;
    private final MigrationSets sets;
    private final EnvironmentDatabases databases;
    private final MigrationRecords records;
    private final MigrationEngines engines;

    MigrationChecks(
            EnvironmentService environments,
            ReleaseService releases,
            MigrationSets sets,
            EnvironmentDatabases databases,
            MigrationRecords records,
            MigrationEngines engines) {
        this.engines = engines;
        this.environments = environments;
        this.releases = releases;
        this.sets = sets;
        this.databases = databases;
        this.records = records;
    }

    @Override
    public void check(DeployRequest request) {
        JobType type = request.type();
        long releaseId = request.releaseId();
        MigrationPlanView plan = plan(request.environment(), releaseId);
        if (plan.error() != null || plan.pending() != null) {
            // An unreachable database, or migrations in an artifact not fetched yet, are checked by the job itself.
            return;
        }
        if (!plan.blockers().isEmpty()) {
            String what =
                    type == JobType.ROLLBACK ? "rollback to release " + releaseId : "deploy of release " + releaseId;
            throw new Conflict(what + " is refused: " + String.join("; ", plan.blockers()));
        }
        if (type == JobType.DEPLOY && !plan.irreversible().isEmpty() && !request.allowIrreversible()) {
            throw new Conflict("release " + releaseId + " runs migration(s) without an undo script: "
                    + String.join(", ", plan.irreversible()) + "; a rollback could not take them back."
                    + " Confirm with \"allowIrreversible\": true (or the checkbox) to deploy anyway");
        }
    }

    /** The database part of the plan of deploying release {@code releaseId} to the environment. */
    public MigrationPlanView plan(String environment, long releaseId) {
        EnvironmentDefinition definition = environments.definition(environment);
        long environmentId = environments.byName(environment).id;
        ReleaseView release = releases.get(releaseId);
        Optional<ReleaseMigrations> target;
        try {
            target = sets.known(definition, release);
        } catch (MigrationSets.NotFetched e) {
            return MigrationPlanView.pending(e.component(), e.getMessage());
        } catch (MigrationSets.Unreadable e) {
            return new MigrationPlanView(
                    null, null, List.of(), List.of(), List.of(), List.of(), List.of(e.getMessage()), null, null);
        }
        if (target.isEmpty()) {
            return MigrationPlanView.none();
        }
        if (definition.database().isEmpty()) {
            return new MigrationPlanView(
                    target.get().component(),
                    null,
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of("release " + releaseId + " carries migrations (component "
                            + target.get().component() + ") but environment " + environment + " defines no database"),
                    null,
                    null);
        }
        Optional<String> unseeded = databases.awaitingSeed(definition);
        if (unseeded.isPresent()) {
            return MigrationPlanView.pending(target.get().component(), unseeded.get());
        }
        try (OpenDatabase db = databases.open(definition);
                MigrationEngine engine = engines.reading(definition, db, "plan")) {
            MigrationPlan plan = engine.plan(target.get().set(), version -> records.knownUndo(environmentId, version));
            return new MigrationPlanView(
                    target.get().component(),
                    db.description(),
                    plan.undo().stream()
                            .map(u -> new PlannedMigration(
                                    u.applied().version(),
                                    u.applied().description(),
                                    u.applied().script(),
                                    u.possible()))
                            .toList(),
                    planned(plan.pending()),
                    planned(plan.deferredPending()),
                    plan.irreversible().stream().map(MigrationScript::fileName).toList(),
                    plan.blockers(),
                    null,
                    null);
        } catch (EnvironmentDatabases.Unreachable | SQLException e) {
            return new MigrationPlanView(
                    target.get().component(),
                    null,
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    e.getMessage(),
                    null);
        }
    }

    private static List<PlannedMigration> planned(List<MigrationScript> scripts) {
        return scripts.stream()
                .map(s -> new PlannedMigration(s.version(), s.description(), s.path(), s.reversible()))
                .toList();
    }
}
