package org.cnx.conveyor.promote;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.cnx.conveyor.common.IllegalTransition;

/** A request to put a release on the environment of a stage; its state changes only through the methods below. */
@Entity
@Table(name = "promotions")
public class Promotion extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "release_id", nullable = false)
    public Long releaseId;

    @Column(name = "environment_id", nullable = false)
    public Long environmentId;

    @Column(name = "from_stage")
    public String fromStage;

    @Column(name = "to_stage", nullable = false)
    public String toStage;

    @Column(nullable = false)
    @Convert(converter = PromotionState.Stored.class)
    private PromotionState state = PromotionState.PENDING;

    @Column(name = "approvals_required", nullable = false)
    public int approvalsRequired;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt = Instant.now();

    public String note;

    @Column(name = "allow_irreversible", nullable = false)
    public boolean allowIrreversible;

    @Column(name = "decided_by")
    public String decidedBy;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "rejection_reason")
    public String rejectionReason;

    @Column(name = "job_id")
    public Long jobId;

    /** Set for a scheduled deploy's promotion: the deploy starts then, not when the last approval comes. */
    @Column(name = "deploy_at")
    public Instant deployAt;

    public PromotionState state() {
        return state;
    }

    /** The approvals are complete (or none were needed) and the deploy job was queued. */
    void approve(String by, long job) {
        requirePending("be approved");
        state = PromotionState.APPROVED;
        decide(by);
        jobId = job;
    }

    void reject(String by, String reason) {
        requirePending("be rejected");
        state = PromotionState.REJECTED;
        rejectionReason = reason;
        decide(by);
    }

    void cancel(String by) {
        requirePending("be cancelled");
        state = PromotionState.CANCELLED;
        decide(by);
    }

    /** Only a waiting promotion is decided, or takes approvals (counted before the decision is made). */
    void requirePending(String action) {
        IllegalTransition.unlessIn(EnumSet.of(PromotionState.PENDING), state, "promotion #" + id, action);
    }

    private void decide(String by) {
        decidedBy = by;
        decidedAt = Instant.now();
    }

    /** The promotion, locked so concurrent approvals of it are counted one after the other. */
    static Optional<Promotion> locked(long id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    static List<Promotion> inState(PromotionState state, int limit) {
        return find("state = ?1 order by id desc", state).page(0, limit).list();
    }

    static List<Promotion> newest(int limit) {
        return find("order by id desc").page(0, limit).list();
    }

    static Optional<Promotion> pendingFor(long environmentId, long releaseId) {
        return find(
                        "environmentId = ?1 and releaseId = ?2 and state = ?3",
                        environmentId,
                        releaseId,
                        PromotionState.PENDING)
                .firstResultOptional();
    }
}
