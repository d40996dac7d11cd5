package org.cnx.conveyor.snapshot;

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

/**
 * One stored snapshot: a scrubbed copy of a source environment's database in PostgreSQL's custom format. Written
 * once, after its scrub scripts succeeded and its file was complete; never changed, only removed by retention.
 */
@Entity
@Table(name = "snapshots")
public class Snapshot extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "environment_id", nullable = false)
    public Long environmentId;

    @Column(nullable = false)
    public String source;

    @Column(name = "job_id", nullable = false)
    public Long jobId;

    /** The file's name inside the snapshot folder. */
    @Column(nullable = false)
    public String file;

    @Column(nullable = false)
    public String sha256;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    /** The newest migration applied to the copied database; null when it had none. */
    @Column(name = "schema_version")
    public String schemaVersion;

    /** How many migrations the copied database had applied. */
    @Column(nullable = false)
    public int migrations;

    /** SHA-256 of the scrub scripts that ran on the copy. */
    @Column(name = "scrub_sha256", nullable = false)
    public String scrubSha256;

    @Column(name = "taken_at", nullable = false)
    public Instant takenAt;

    /** The snapshots of a source, newest first. */
    public static List<Snapshot> of(String source) {
        return list("source = ?1 order by id desc", source);
    }

    public static Optional<Snapshot> newest(String source) {
        return find("source = ?1 order by id desc", source).firstResultOptional();
    }
}
