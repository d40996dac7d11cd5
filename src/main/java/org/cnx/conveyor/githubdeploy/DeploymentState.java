package org.cnx.conveyor.githubdeploy;

/** GitHub's deployment status states that Conveyor reports, and which a job's status becomes. */
enum DeploymentState {
    IN_PROGRESS,
    SUCCESS,
    FAILURE,
    INACTIVE;

    /** As GitHub spells it. */
    String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The state of a deploy, rollback or retry-rollback job with this status. */
    static DeploymentState ofJob(String status) {
        return switch (status) {
            case "queued", "running" -> IN_PROGRESS;
            case "succeeded" -> SUCCESS;
            default -> FAILURE; // failed, rolled_back, degraded, cancelled
        };
    }
}
