package org.cnx.conveyor.promote;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A lead's approval of a promotion; it counts until the configured approval time-to-live runs out. */
@Entity
@Table(name = "promotion_approvals")
public class Approval extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "promotion_id", nullable = false)
    public Long promotionId;

    @Column(nullable = false)
    public String approver;

    @Column(name = "approved_at", nullable = false)
    public Instant approvedAt = Instant.now();

    boolean countsAt(Instant now, Duration ttl) {
        return approvedAt.plus(ttl).isAfter(now);
    }

    static List<Approval> of(long promotionId) {
        return list("promotionId = ?1 order by approvedAt", promotionId);
    }

    static Optional<Approval> by(long promotionId, String approver) {
        return find("promotionId = ?1 and approver = ?2", promotionId, approver).firstResultOptional();
    }
}
