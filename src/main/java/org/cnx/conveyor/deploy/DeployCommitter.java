package org.cnx.conveyor.deploy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.job.Deployment;
import org.cnx.conveyor.job.JobEvents;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.RunningJob;

/** The commit of a deploy and the marking of a degraded environment, each one database transaction. */
@ApplicationScoped
class DeployCommitter {

    private final EnvironmentService environments;
    private final JobEvents events;

    DeployCommitter(EnvironmentService environments, JobEvents events) {
        this.environments = environments;
        this.events = events;
    }

    /** In one transaction: the environment's current release, its history row, and the journal's commit step. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void commit(RunningJob job, long releaseId) {
        Long previous = environments.recordLiveRelease(job.environmentId(), releaseId);
        Deployment deployment = new Deployment();
        deployment.environmentId = job.environmentId();
        deployment.releaseId = releaseId;
        deployment.previousReleaseId = previous;
        deployment.jobId = job.id();
        deployment.kind = job.type() == JobType.DEPLOY ? "deploy" : job.type().id();
        deployment.deployedBy = job.requestedBy();
        deployment.persist();
        job.journal().committed(job.id());
        events.committed(job, releaseId, previous);
    }

    /** In one transaction: the job ends degraded and the environment says so, with each host's state. */
    void markDegraded(RunningJob job, String why, String hostStates) {
        job.finish(j -> {
            j.markDegraded(why);
            environments.markDegraded(job.environmentId(), job.id(), hostStates);
        });
    }
}
