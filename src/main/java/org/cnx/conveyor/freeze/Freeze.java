package org.cnx.conveyor.freeze;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** A deploy freeze window, as stored: see {@link FreezeWindow} for when it is in force. */
@Entity
@Table(name = "deploy_freezes")
public class Freeze extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String environment;

    public String stage;

    public String cron;

    @Column(name = "duration_s")
    public Long durationSeconds;

    @Column(nullable = false)
    public String zone = "UTC";

    @Column(name = "starts_at")
    public Instant startsAt;

    @Column(name = "ends_at")
    public Instant endsAt;

    @Column(nullable = false)
    public String reason;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();

    /** The windows that may cover an environment of this stage. */
    static List<Freeze> covering(String environment, String stage) {
        return list("environment = ?1 OR stage = ?2 ORDER BY id", environment, stage);
    }

    FreezeWindow window() {
        return cron != null
                ? FreezeWindow.recurring(cron, java.time.Duration.ofSeconds(durationSeconds), java.time.ZoneId.of(zone))
                : FreezeWindow.once(startsAt, endsAt);
    }
}
