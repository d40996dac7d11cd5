package org.cnx.conveyor.migrate;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.job.JobOrder;
import org.cnx.conveyor.job.JobService;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;

/** What the deploy engine needs from migrations: the migrate phase of a job, built from its release. */
@ApplicationScoped
public class Migrations {

    private final MigrationSets sets;
    private final EnvironmentDatabases databases;
    private final MigrationRecords records;
    private final MigrateConfig config;
    private final JobService jobs;
    private final MigrationEngines engines;

    Migrations(
            MigrationSets sets,
            EnvironmentDatabases databases,
            MigrationRecords records,
            MigrateConfig config,
            JobService jobs,
            MigrationEngines engines) {
        this.engines = engines;
        this.sets = sets;
        this.databases = databases;
        this.records = records;
        this.config = config;
        this.jobs = jobs;
    }

    /** The migrate phase of a deploy of {@code release}; a release whose migrations cannot be read fails the phase. */
    public DeployMigrations forDeploy(RunningJob job, EnvironmentDefinition definition, ReleaseView release) {
        try {
            return new DeployMigrations(job, definition, sets.of(definition, release), null, this);
        } catch (MigrationSets.Unreadable e) {
            return new DeployMigrations(job, definition, Optional.empty(), e.getMessage(), this);
        }
    }

    EnvironmentDatabases databases() {
        return databases;
    }

    MigrationEngines engines() {
        return engines;
    }

    MigrationRecords records() {
        return records;
    }

    boolean schemaDiff() {
        return config.schemaDiff();
    }

    JobSummary queueDeferred(RunningJob job, long releaseId) {
        return jobs.submit(JobOrder.of(JobType.DEFERRED_MIGRATE, job.environment(), job.requestedBy())
                .release(releaseId)
                .reason("deferred migrations after job #" + job.id()));
    }
}
