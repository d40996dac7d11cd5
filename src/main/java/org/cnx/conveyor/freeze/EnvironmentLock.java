package org.cnx.conveyor.freeze;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A lock on an environment: deploys and promotions to it are refused until it is lifted or expires. */
@Entity
@Table(name = "environment_locks")
public class EnvironmentLock extends PanacheEntityBase {

    @Id
    @Column(name = "environment_id")
    public Long environmentId;

    @Column(nullable = false)
    public String reason;

    @Column(name = "locked_by", nullable = false)
    public String lockedBy;

    @Column(name = "locked_at", nullable = false)
    public Instant lockedAt = Instant.now();

    @Column(name = "expires_at")
    public Instant expiresAt;

    boolean inForce(Instant at) {
        return expiresAt == null || at.isBefore(expiresAt);
    }
}
