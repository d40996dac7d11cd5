package org.cnx.conveyor.job;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** One journal entry: a step of a job on one host and component, written before it acts and marked after. */
@Entity
@Table(name = "job_steps")
public class JobStep extends PanacheEntityBase {

    /** A step's progress. */
    public enum State {
        STARTED,
        DONE,
        FAILED,
        SKIPPED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "job_id", nullable = false)
    public Long jobId;

    @Column(nullable = false)
    @Convert(converter = PhaseColumn.class)
    public Phase phase;

    @Column(nullable = false)
    public String host;

    @Column(nullable = false)
    public String component;

    @Column(nullable = false)
    public String action;

    @Column(nullable = false)
    public String state;

    /** What the step is about to replace (e.g. the old target of {@code current}), so it can be undone. */
    @Column(name = "before_value")
    public String beforeValue;

    public String detail;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt = Instant.now();

    @Column(name = "finished_at")
    public Instant finishedAt;

    public static List<JobStep> forJob(long jobId) {
        return list("jobId = ?1 order by id", jobId);
    }

    public State state() {
        return State.valueOf(state);
    }
}
