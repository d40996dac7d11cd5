package org.cnx.conveyor.schedule;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** A deploy asked for at a later time, and what became of it. */
@Entity
@Table(name = "scheduled_deploys")
public class ScheduledDeploy extends PanacheEntityBase {

    /** Where a scheduled deploy is in its life; only {@code PENDING} ever changes. */
    public enum State {
        PENDING,
        /** Claimed by the instance firing it, its job not queued yet (it stays so if that instance died meanwhile). */
        FIRING,
        /** Its deploy job was queued. */
        FIRED,
        /** Its deploy was refused when it fired (a freeze, a lock, a check); {@code outcome} says why. */
        REFUSED,
        /** It could not fire before its expiry (Conveyor was down). */
        EXPIRED,
        CANCELLED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "environment_id", nullable = false)
    public Long environmentId;

    @Column(name = "release_id", nullable = false)
    public Long releaseId;

    @Column(name = "run_at", nullable = false)
    public Instant runAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(nullable = false)
    String state = State.PENDING.id();

    @Column(name = "job_id")
    public Long jobId;

    /** For a protected environment: the promotion whose approvals it needs by its time. */
    @Column(name = "promotion_id")
    public Long promotionId;

    public String outcome;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();

    public State state() {
        return State.valueOf(state.toUpperCase(Locale.ROOT));
    }

    static List<ScheduledDeploy> due(Instant now) {
        return list("state = 'pending' AND runAt <= ?1 ORDER BY runAt", now);
    }

    static List<ScheduledDeploy> ofEnvironment(long environmentId) {
        return list("environmentId = ?1 ORDER BY runAt DESC", environmentId);
    }

    /**
     * Moves a pending one to {@code to}, only if it is still pending: across instances, exactly one of them wins.
     *
     * @return true when this caller made the move
     */
    static boolean settle(long id, State to, Long jobId, String outcome) {
        return update(
                        "state = ?1, jobId = ?2, outcome = ?3 WHERE id = ?4 AND state = 'pending'",
                        to.id(),
                        jobId,
                        outcome,
                        id)
                == 1;
    }
}
