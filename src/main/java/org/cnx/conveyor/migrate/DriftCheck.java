package org.cnx.conveyor.migrate;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** The outcome of one drift check of an environment's database, kept so the page shows the latest. */
@Entity
@Table(name = "drift_checks")
public class DriftCheck extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "environment_id", nullable = false)
    public Long environmentId;

    @Column(name = "checked_at", nullable = false)
    public Instant checkedAt = Instant.now();

    @Column(name = "checked_by", nullable = false)
    public String checkedBy;

    @Column(nullable = false)
    public boolean clean;

    /** The {@link MigrationViews} drift report as JSON. */
    @Column(nullable = false)
    public String report;

    static Optional<DriftCheck> latest(long environmentId) {
        return find("environmentId = ?1 ORDER BY id DESC", environmentId).firstResultOptional();
    }
}
