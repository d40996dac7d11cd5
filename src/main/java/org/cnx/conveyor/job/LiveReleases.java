package org.cnx.conveyor.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.Optional;
import org.cnx.conveyor.environment.Environment;

/**
 * The one owner of "what is live": commits a release as live (the environment's committed release and its history
 * row, together) and answers what runs where and what a rollback goes back to.
 */
@ApplicationScoped
public class LiveReleases {

    /** What runs in the environment and what a rollback there goes back to. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public LiveRelease of(long environmentId) {
        Environment env = Environment.findById(environmentId);
        return LiveRelease.of(env.currentReleaseId, Deployment.latest(environmentId));
    }

    /** The release live in the environment, as last committed. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Long> release(long environmentId) {
        return Optional.ofNullable(of(environmentId).release());
    }

    /**
     * Commits the job's release as live, under a row lock on the environment and within the caller's transaction: the
     * environment's committed release (which also makes it healthy) and its history row. Returns the release replaced.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Long commit(RunningJob job, long releaseId) {
        Environment env = Environment.findById(job.environmentId(), LockModeType.PESSIMISTIC_WRITE);
        Long previous = env.commitLive(releaseId);
        Deployment deployment = new Deployment();
        deployment.environmentId = job.environmentId();
        deployment.releaseId = releaseId;
        deployment.previousReleaseId = previous;
        deployment.jobId = job.id();
        deployment.kind = job.type() == JobType.DEPLOY ? "deploy" : job.type().id();
        deployment.deployedBy = job.requestedBy();
        deployment.persist();
        return previous;
    }

    /**
     * The release most recently committed in a shared (or production) environment of the stage, if any: "the latest
     * release that succeeded in dev" for a new personal clone. The newest history row of an environment is always its
     * committed release, so the newest row of the stage is the newest of their live releases.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Long> latestInStage(String stage) {
        return Deployment.getEntityManager()
                .createQuery("""
                select d.releaseId from Deployment d, Environment e
                where e.id = d.environmentId and e.stage = ?1 and e.kind not in ('personal', 'preview')
                order by d.id desc""", Long.class)
                .setParameter(1, stage)
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
    }
}
