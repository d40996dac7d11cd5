package org.cnx.conveyor.snapshot;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.cluster.OnceAcrossInstances;
import org.cnx.conveyor.common.DomainException;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentSummary;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.Schedule;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.jboss.logging.Logger;

/**
 * Takes scheduled snapshots at each firing of a source's {@code snapshots.schedule}, once across instances: each
 * firing is a row, and only the instance whose insert of it wins queues the job. A firing more than {@link #GRACE} old
 * (Conveyor was down) is skipped.
 */
@ApplicationScoped
class SnapshotSchedule {

    static final Duration GRACE = Duration.ofMinutes(1);
    private static final Logger LOG = Logger.getLogger(SnapshotSchedule.class);
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final EnvironmentService environments;
    private final SnapshotService snapshots;
    private final EntityManager entities;

    SnapshotSchedule(EnvironmentService environments, SnapshotService snapshots, EntityManager entities) {
        this.environments = environments;
        this.snapshots = snapshots;
        this.entities = entities;
    }

    @Scheduled(
            every = "${conveyor.schedules.poll}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    // Once across instances saves every other instance the work; the row claims below make it exactly once.
    @OnceAcrossInstances
    void fire() {
        Instant now = Instant.now();
        for (EnvironmentSummary env : QuarkusTransaction.requiringNew().call(environments::list)) {
            EnvironmentDefinition definition;
            try {
                definition = QuarkusTransaction.requiringNew().call(() -> environments.definition(env.name()));
            } catch (DomainException e) {
                continue;
            }
            definition
                    .snapshots()
                    .flatMap(spec -> spec.schedule())
                    .flatMap(schedule -> lastFiring(schedule, now))
                    .ifPresent(firing -> claim(env.name(), firing));
        }
    }

    static Optional<Instant> lastFiring(Schedule schedule, Instant now) {
        return ExecutionTime.forCron(CRON.parse(schedule.cron()))
                .lastExecution(ZonedDateTime.ofInstant(now.plusSeconds(1), ZoneId.of(schedule.zone())))
                .map(ZonedDateTime::toInstant)
                .filter(firing -> !firing.isBefore(now.minus(GRACE)) && !firing.isAfter(now));
    }

    /** Queues the snapshot of this firing unless another instance claimed it first. */
    void claim(String source, Instant firing) {
        boolean mine = QuarkusTransaction.requiringNew()
                .call(() -> entities.createNativeQuery("INSERT INTO snapshot_firings (environment, fired_at)"
                                        + " VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                                .setParameter(1, source)
                                .setParameter(2, firing)
                                .executeUpdate()
                        == 1);
        if (!mine) {
            return;
        }
        try {
            JobSummary job = snapshots.take(source, AuditLog.CONVEYOR);
            QuarkusTransaction.requiringNew()
                    .run(() -> entities.createNativeQuery(
                                    "UPDATE snapshot_firings SET job_id = ?1 WHERE environment = ?2 AND fired_at = ?3")
                            .setParameter(1, job.id())
                            .setParameter(2, source)
                            .setParameter(3, firing)
                            .executeUpdate());
        } catch (RuntimeException e) {
            LOG.warnf("scheduled snapshot of %s (%s) could not be queued: %s", source, firing, e.getMessage());
        }
    }
}
