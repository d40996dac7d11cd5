package org.cnx.conveyor.dora;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.dora.DoraFigures.Figures;
import org.cnx.conveyor.dora.DoraFigures.JobRecord;

/**
 * DORA figures per stage and per environment over a period, from the deployment history: the finished deploy,
 * rollback and retry-rollback jobs of shared and production environments (previews and personal clones are
 * developers' own copies, not the service's changes).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class DoraService {

    static final int MAX_DAYS = 366;

    /** The figures of every stage, then of every environment, over the period. */
    public record Report(Instant from, Instant to, List<Figures> stages, List<Figures> environments) {}

    private final EntityManager entities;

    DoraService(EntityManager entities) {
        this.entities = entities;
    }

    /** The last {@code days} days up to now. */
    public Report lastDays(int days) {
        if (days < 1 || days > MAX_DAYS) {
            throw new Invalid("days: expected 1 to " + MAX_DAYS);
        }
        Instant to = Instant.now();
        return report(to.minus(Duration.ofDays(days)), to);
    }

    Report report(Instant from, Instant to) {
        // A month before the period too: a rollback in the period may undo a deploy made before it, and a release
        // live before the period is not a new change when it is deployed again.
        List<JobRecord> jobs = jobs(from.minus(Duration.ofDays(30)), to);
        Map<String, List<JobRecord>> byStage = new TreeMap<>();
        Map<String, List<JobRecord>> byEnvironment = new TreeMap<>();
        for (JobRecord job : jobs) {
            byStage.computeIfAbsent(job.stage(), s -> new ArrayList<>()).add(job);
            byEnvironment
                    .computeIfAbsent(job.environment(), e -> new ArrayList<>())
                    .add(job);
        }
        List<Figures> stages = byStage.entrySet().stream()
                .map(e -> DoraFigures.of("stage", e.getKey(), e.getValue(), from, to))
                .toList();
        List<Figures> environments = byEnvironment.entrySet().stream()
                .map(e -> DoraFigures.of("environment", e.getKey(), e.getValue(), from, to))
                .toList();
        return new Report(from, to, stages, environments);
    }

    @SuppressWarnings("unchecked")
    private List<JobRecord> jobs(Instant from, Instant to) {
        List<Object[]> rows = entities.createNativeQuery("""
                        SELECT j.id, e.name, e.stage, j.type, j.status, j.started_at, j.finished_at, j.release_id,
                               coalesce(r.source_committed_at, r.created_at)
                        FROM jobs j JOIN environments e ON e.id = j.environment_id
                        LEFT JOIN releases r ON r.id = j.release_id
                        WHERE j.type IN ('deploy', 'rollback', 'retry-rollback') AND j.finished_at IS NOT NULL
                          AND j.finished_at >= ?1 AND j.finished_at < ?2 AND e.kind NOT IN ('preview', 'personal')
                        ORDER BY j.finished_at, j.id""")
                .setParameter(1, from)
                .setParameter(2, to)
                .getResultList();
        return rows.stream()
                .map(r -> new JobRecord(
                        ((Number) r[0]).longValue(),
                        (String) r[1],
                        (String) r[2],
                        (String) r[3],
                        (String) r[4],
                        instant(r[5]),
                        instant(r[6]),
                        r[7] == null ? null : ((Number) r[7]).longValue(),
                        instant(r[8])))
                .toList();
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }
}
