package org.cnx.conveyor.job;

/**
 * A request to put a release on an environment, as the {@link DeployCheck}s see it.
 *
 * @param type DEPLOY or ROLLBACK
 * @param allowIrreversible the requester confirmed that changes which cannot be undone may run
 * @param promotionId the approved promotion this deploy carries out; null for a direct request
 * @param freezeOverride a lead's written reason to deploy inside a freeze window; null otherwise
 * @param at when the deploy is to run, for one scheduled for later; null for now
 */
public record DeployRequest(
        String environment,
        JobType type,
        long releaseId,
        boolean allowIrreversible,
        Long promotionId,
        String freezeOverride,
        java.time.Instant at) {

    public DeployRequest(
            String environment, JobType type, long releaseId, boolean allowIrreversible, Long promotionId) {
        this(environment, type, releaseId, allowIrreversible, promotionId, null, null);
    }

    public DeployRequest(
            String environment,
            JobType type,
            long releaseId,
            boolean allowIrreversible,
            Long promotionId,
            String freezeOverride) {
        this(environment, type, releaseId, allowIrreversible, promotionId, freezeOverride, null);
    }

    /** The same request, to run at {@code when} (a scheduled deploy being asked for). */
    public DeployRequest scheduledFor(java.time.Instant when) {
        return new DeployRequest(environment, type, releaseId, allowIrreversible, promotionId, freezeOverride, when);
    }

    public boolean direct() {
        return promotionId == null;
    }
}
