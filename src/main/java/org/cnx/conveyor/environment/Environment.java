package org.cnx.conveyor.environment;

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

/** The loaded copy of one environment's definition plus its runtime state (the release that is live). */
@Entity
@Table(name = "environments")
public class Environment extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true)
    public String name;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String stage;

    @Column(name = "definition_file", nullable = false)
    public String definitionFile;

    @Column(name = "definition_text", nullable = false)
    public String definitionText;

    @Column(name = "definition_sha256", nullable = false)
    public String definitionSha256;

    /** The shared runbook files the definition uses, as loaded with it (see {@code SharedRunbooks#encode}). */
    @Column(name = "shared_runbooks")
    public String sharedRunbooks;

    @Column(name = "loaded_at", nullable = false)
    public Instant loadedAt = Instant.now();

    /** The file this copy came from is gone; the copy stays until an admin removes the environment. */
    @Column(name = "file_missing", nullable = false)
    public boolean fileMissing;

    @Column(name = "current_release_id")
    public Long currentReleaseId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();

    /** {@code ok}, or {@code degraded} when a rollback could not finish; see {@link #healthDetail}. */
    @Column(nullable = false)
    public String health = "ok";

    /** For a degraded environment: each host's exact state, as the failed rollback left it. */
    @Column(name = "health_detail")
    public String healthDetail;

    @Column(name = "health_job_id")
    public Long healthJobId;

    /** A problem that leaves the release live but needs attention (a failed deferred migration); null when none. */
    public String warning;

    @Column(name = "warning_job_id")
    public Long warningJobId;

    /** When a teardown removed the environment (only ones made from templates are); null while it exists. */
    @Column(name = "destroyed_at")
    public Instant destroyedAt;

    public boolean degraded() {
        return "degraded".equals(health);
    }

    public void markDegraded(long jobId, String detail) {
        health = "degraded";
        healthDetail = detail;
        healthJobId = jobId;
    }

    /**
     * Makes the release the committed one and the environment healthy; returns the release it replaces. Only
     * {@code job.LiveReleases} calls this, in the transaction that writes the deployment history row.
     */
    public Long commitLive(long releaseId) {
        Long previous = currentReleaseId;
        currentReleaseId = releaseId;
        markHealthy();
        return previous;
    }

    public void markHealthy() {
        health = "ok";
        healthDetail = null;
        healthJobId = null;
    }

    /** The existing environment of that name (destroyed ones keep their rows for their jobs' sake, but not their name). */
    public static Optional<Environment> findByName(String name) {
        return find("name = ?1 and destroyedAt is null", name).firstResultOptional();
    }

    public static List<Environment> listByName() {
        return list("destroyedAt is null order by name");
    }

    /** Marks the environment removed by a teardown; its name is free again. */
    public void destroy() {
        if (!fromTemplate()) {
            throw new IllegalStateException("environment " + name + " comes from its own file and cannot be destroyed");
        }
        if (destroyedAt != null) {
            throw new IllegalStateException("environment " + name + " was already destroyed at " + destroyedAt);
        }
        destroyedAt = Instant.now();
    }

    /** True for environments made from a template (clones, previews) rather than from their own file. */
    public boolean fromTemplate() {
        return definitionFile.contains("/templates/");
    }
}
