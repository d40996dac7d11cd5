package org.cnx.conveyor.job;

/**
 * A check a deploy request must pass before it is queued (other features implement it as CDI beans); a failed check
 * throws a {@link org.cnx.conveyor.web.ProblemException} saying what is wrong and how to proceed.
 */
public interface DeployCheck {

    /**
     * @param type DEPLOY or ROLLBACK
     * @param allowIrreversible the requester confirmed that changes which cannot be undone may run
     */
    void check(String environment, JobType type, long releaseId, boolean allowIrreversible);
}
