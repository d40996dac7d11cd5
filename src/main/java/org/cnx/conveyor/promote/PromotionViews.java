package org.cnx.conveyor.promote;

import java.time.Instant;
import java.util.List;
import org.cnx.conveyor.deploy.DeployPlan;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.job.JobViews.ReleaseDeployment;

/** What the API and pages show of promotions. */
public final class PromotionViews {

    private PromotionViews() {}

    /** A promotion with the approvals that count now; {@code job} is the deploy it started, once approved. */
    public record PromotionView(
            long id,
            long release,
            String environment,
            String fromStage,
            String toStage,
            String state,
            int approvalsRequired,
            int approvals,
            String requestedBy,
            Instant requestedAt,
            String note,
            boolean allowIrreversible,
            String decidedBy,
            Instant decidedAt,
            String rejectionReason,
            JobSummary job) {

        static PromotionView of(Promotion p, String environment, int approvals, JobSummary job) {
            return new PromotionView(
                    p.id,
                    p.releaseId,
                    environment,
                    p.fromStage,
                    p.toStage,
                    p.state().id(),
                    p.approvalsRequired,
                    approvals,
                    p.requestedBy,
                    p.requestedAt,
                    p.note,
                    p.allowIrreversible,
                    p.decidedBy,
                    p.decidedAt,
                    p.rejectionReason,
                    job);
        }

        public boolean pending() {
            return state.equals(PromotionState.PENDING.id());
        }
    }

    /** One lead's approval; an expired one is shown but no longer counts. */
    public record ApprovalView(String approver, Instant approvedAt, Instant expiresAt, boolean expired) {}

    /**
     * Everything a lead reads before deciding: the promotion, its approvals, what the deploy would change (components
     * and migrations, from the deploy plan) and where the release already succeeded.
     */
    public record PromotionReview(
            PromotionView promotion,
            List<ApprovalView> approvals,
            DeployPlan plan,
            String planError,
            List<ReleaseDeployment> history) {}

    /** {@code POST /api/promotions}. */
    /** An environment of the promote form; {@code refusal} says why the release cannot go there now, or is null. */
    public record PromotionTarget(String environment, String stage, Long currentRelease, String refusal) {

        public boolean eligible() {
            return refusal == null;
        }
    }

    public record PromotionRequest(Long release, String environment, String note, Boolean allowIrreversible) {}

    /** {@code POST /api/promotions/{id}/reject}. */
    public record Rejection(String reason) {}
}
