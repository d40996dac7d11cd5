package org.cnx.conveyor.job;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A row of an environment's deployment history: a release that went live, by whom, through which job. */
@Entity
@Table(name = "deployments")
public class Deployment extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "environment_id", nullable = false)
    public Long environmentId;

    @Column(name = "release_id", nullable = false)
    public Long releaseId;

    @Column(name = "previous_release_id")
    public Long previousReleaseId;

    @Column(name = "job_id", nullable = false)
    public Long jobId;

    @Column(nullable = false)
    public String kind;

    @Column(name = "deployed_by", nullable = false)
    public String deployedBy;

    @Column(name = "deployed_at", nullable = false)
    public Instant deployedAt = Instant.now();

    public static List<Deployment> historyOf(long environmentId, int limit) {
        return find("environmentId = ?1 order by id desc", environmentId)
                .page(0, limit)
                .list();
    }

    public static Optional<Deployment> latest(long environmentId) {
        return find("environmentId = ?1 order by id desc", environmentId).firstResultOptional();
    }
}
