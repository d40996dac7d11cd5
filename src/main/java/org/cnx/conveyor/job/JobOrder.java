package org.cnx.conveyor.job;

/**
 * A request to queue a job, as callers hand it to {@link JobService#submit}; what else the job needs (its release,
 * checks, reason, audit row) its {@link JobType} says.
 *
 * @param releaseId the release, for types whose release the caller gives; null otherwise
 * @param reason why the job runs, shown with it; null for the type's own
 * @param allowIrreversible the requester confirmed that migrations without an undo script may run
 * @param promotionId the approved promotion this job carries out; null for a direct request
 * @param freezeOverride a lead's written reason to deploy inside a freeze window; null otherwise
 */
public record JobOrder(
        JobType type,
        String environment,
        Long releaseId,
        String by,
        String reason,
        boolean allowIrreversible,
        Long promotionId,
        String freezeOverride) {

    public JobOrder(
            JobType type,
            String environment,
            Long releaseId,
            String by,
            String reason,
            boolean allowIrreversible,
            Long promotionId) {
        this(type, environment, releaseId, by, reason, allowIrreversible, promotionId, null);
    }

    public static JobOrder of(JobType type, String environment, String by) {
        return new JobOrder(type, environment, null, by, null, false, null);
    }

    /** The deploy an approved promotion asked for. */
    public static JobOrder of(DeployRequest request, String by) {
        return new JobOrder(
                request.type(),
                request.environment(),
                request.releaseId(),
                by,
                request.direct() ? null : "promotion #" + request.promotionId(),
                request.allowIrreversible(),
                request.promotionId());
    }

    public JobOrder release(Long release) {
        return new JobOrder(type, environment, release, by, reason, allowIrreversible, promotionId, freezeOverride);
    }

    public JobOrder reason(String why) {
        return new JobOrder(type, environment, releaseId, by, why, allowIrreversible, promotionId, freezeOverride);
    }

    public JobOrder allowIrreversible(boolean allow) {
        return new JobOrder(type, environment, releaseId, by, reason, allow, promotionId, freezeOverride);
    }

    /** Deploys inside a freeze window, for this written reason (a lead's only; shown as the job's reason). */
    public JobOrder overridingFreeze(String why) {
        return new JobOrder(
                type,
                environment,
                releaseId,
                by,
                why == null || why.isBlank() ? reason : "freeze overridden: " + why.strip(),
                allowIrreversible,
                promotionId,
                why == null || why.isBlank() ? null : why.strip());
    }

    public boolean direct() {
        return promotionId == null;
    }
}
