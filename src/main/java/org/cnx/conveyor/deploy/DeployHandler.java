package org.cnx.conveyor.deploy;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.job.JobHandler;
import org.cnx.conveyor.job.JobSecrets;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.LiveReleases;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;

/** Runs deploy, rollback and retry-rollback jobs: each is a transactional deploy of one release. */
@ApplicationScoped
class DeployHandler implements JobHandler {

    private final EnvironmentService environments;
    private final LiveReleases live;
    private final ReleaseService releases;
    private final DeployServices services;
    private final JobSecrets secrets;

    DeployHandler(
            EnvironmentService environments,
            LiveReleases live,
            ReleaseService releases,
            DeployServices services,
            JobSecrets secrets) {
        this.live = live;
        this.secrets = secrets;
        this.environments = environments;
        this.releases = releases;
        this.services = services;
    }

    @Override
    public Set<JobType> types() {
        return EnumSet.of(JobType.DEPLOY, JobType.ROLLBACK, JobType.RETRY_ROLLBACK);
    }

    @Override
    public void run(RunningJob job) {
        EnvironmentDefinition definition =
                QuarkusTransaction.requiringNew().call(() -> environments.definition(job.environment()));
        List<String> missing = secrets.mask(job, definition);
        if (!missing.isEmpty()) {
            String why = JobSecrets.missingMessage(missing);
            job.log().info("failed: " + why);
            job.finish(j -> j.fail(why));
            return;
        }
        job.recordFromRelease(QuarkusTransaction.requiringNew()
                .call(() -> live.release(job.environmentId()))
                .orElse(null));
        new DeployRun(job, target(job, definition), services).run();
    }

    @Override
    public void recover(RunningJob job) {
        EnvironmentDefinition definition =
                QuarkusTransaction.requiringNew().call(() -> environments.definition(job.environment()));
        secrets.mask(job, definition);
        new DeployRun(job, target(job, definition), services).recover();
    }

    private Target target(RunningJob job, EnvironmentDefinition definition) {
        ReleaseView release = QuarkusTransaction.requiringNew().call(() -> releases.get(job.releaseId()));
        return Target.of(definition, release);
    }
}
