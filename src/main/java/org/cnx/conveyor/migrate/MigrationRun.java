package org.cnx.conveyor.migrate;

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
import java.util.Optional;

/**
 * One thing Conveyor did to an environment's database history: applied, undid, or failed a migration, or repaired
 * the history by hand. Keeps the scripts, so a later rollback can undo what an older job applied.
 */
@Entity
@Table(name = "migration_runs")
public class MigrationRun extends PanacheEntityBase {

    /** What was done. */
    public enum Action {
        APPLIED,
        UNDONE,
        FAILED,
        MARKED_APPLIED,
        MARKED_NOT_APPLIED,
        BASELINE,
        /** A deferred migration un-recorded because one it ran after was undone. */
        FORGOTTEN;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "environment_id", nullable = false)
    public Long environmentId;

    @Column(name = "job_id")
    public Long jobId;

    @Column(name = "release_id")
    public Long releaseId;

    @Column(nullable = false)
    public String action;

    /** {@code versioned}, {@code repeatable} or {@code deferred}. */
    @Column(nullable = false)
    public String kind;

    public String version;

    @Column(nullable = false)
    public String description;

    @Column(nullable = false)
    public String script;

    public Integer checksum;

    @Column(name = "forward_sql")
    public String forwardSql;

    @Column(name = "undo_sql")
    public String undoSql;

    public String error;

    @Column(name = "done_by", nullable = false)
    public String doneBy;

    @Column(name = "done_at", nullable = false)
    public Instant doneAt = Instant.now();

    public Action action() {
        return Action.valueOf(action.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The newest record of a forward application of this version (by a job or by marking), if any. */
    static Optional<MigrationRun> lastApplied(long environmentId, String version) {
        return find(
                        "environmentId = ?1 AND version = ?2 AND action IN ('applied', 'marked-applied') ORDER BY id DESC",
                        environmentId,
                        version)
                .firstResultOptional();
    }

    static List<MigrationRun> forEnvironment(long environmentId, int limit) {
        return find("environmentId = ?1 ORDER BY id DESC", environmentId)
                .page(0, limit)
                .list();
    }

    static List<MigrationRun> forJob(long jobId) {
        return find("jobId = ?1 ORDER BY id", jobId).list();
    }
}
