package org.cnx.conveyor.deploy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.cnx.conveyor.environment.EnvironmentHealth;
import org.cnx.conveyor.job.JobEvents;
import org.cnx.conveyor.job.LiveReleases;
import org.cnx.conveyor.job.RunningJob;

/** The commit of a deploy and the marking of a degraded environment, each one database transaction. */
@ApplicationScoped
class DeployCommitter {

    private final LiveReleases live;
    private final EnvironmentHealth health;
    private final JobEvents events;

    DeployCommitter(LiveReleases live, EnvironmentHealth health, JobEvents events) {
        this.live = live;
        this.health = health;
        this.events = events;
    }

    /** In one transaction: the environment's current release, its history row, and the journal's commit step. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void commit(RunningJob job, long releaseId) {
        Long previous = live.commit(job, releaseId);
        job.journal().committed(job.id());
        events.committed(job, releaseId, previous);
    }

    /** In one transaction: the job ends degraded and the environment says so, with each host's state. */
    void markDegraded(RunningJob job, String why, String hostStates) {
        job.finish(j -> {
            j.markDegraded(why);
            health.markDegraded(job.environmentId(), job.id(), hostStates);
        });
    }
}
