package org.cnx.conveyor.job;

/**
 * A request to put a release on an environment, as the {@link DeployCheck}s see it.
 *
 * @param type DEPLOY or ROLLBACK
 * @param allowIrreversible the requester confirmed that changes which cannot be undone may run
 * @param promotionId the approved promotion this deploy carries out; null for a direct request
 * @param freezeOverride a lead's written reason to deploy inside a freeze window; null otherwise
 */
public record DeployRequest(
        String environment,
        JobType type,
        long releaseId,
        boolean allowIrreversible,
        Long promotionId,
        String freezeOverride) {

    public DeployRequest(
            String environment, JobType type, long releaseId, boolean allowIrreversible, Long promotionId) {
        this(environment, type, releaseId, allowIrreversible, promotionId, null);
    }

    public boolean direct() {
        return promotionId == null;
    }
}
