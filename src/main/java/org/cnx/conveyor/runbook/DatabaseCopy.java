package org.cnx.conveyor.runbook;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.RunbookSpec;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.migrate.EnvironmentDatabases;
import org.cnx.conveyor.migrate.EnvironmentDatabases.OpenDatabase;
import org.cnx.conveyor.snapshot.SnapshotService;

/**
 * Runs a {@code copyDatabase} runbook: the newest snapshot of the source (scrubbed when it was taken, on a copy, never
 * on the source) replaces the environment's database, reached as its migrations reach it. One journal step.
 */
@ApplicationScoped
class DatabaseCopy {

    private static final String STEP_HOST = "conveyor";
    private static final String COMPONENT = "database";

    private final EnvironmentDatabases databases;
    private final SnapshotService snapshots;

    DatabaseCopy(EnvironmentDatabases databases, SnapshotService snapshots) {
        this.databases = databases;
        this.snapshots = snapshots;
    }

    /** Copies into the job's environment; returns why it failed (the database is then as it was), or nothing. */
    List<String> run(RunningJob job, EnvironmentDefinition definition, RunbookSpec spec) {
        String from = spec.copyDatabaseFrom().orElseThrow();
        long step = job.journal().begin(job.id(), Phase.RUN, STEP_HOST, COMPONENT, spec.name(), null);
        try (OpenDatabase target = databases.open(definition, line -> job.log().info(line))) {
            job.log().info("copying the newest scrubbed snapshot of " + from + " into " + target.description());
            SnapshotService.Restored restored = snapshots.restoreNewest(
                    from,
                    target.database(),
                    line -> job.log().append(STEP_HOST, COMPONENT, "stdout", line),
                    job::cancelRequested);
            String done = "restored snapshot #" + restored.id() + " of " + from + " taken " + restored.takenAt();
            job.log().info(done);
            job.journal().done(job.id(), step, done);
            return List.of();
        } catch (EnvironmentDatabases.Unreachable | SnapshotService.RestoreFailed e) {
            String why = "copy from " + from + ": " + e.getMessage() + " (the database was left as it was)";
            job.journal().failed(job.id(), step, why);
            return List.of(why);
        }
    }
}
