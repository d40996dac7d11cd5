package org.cnx.conveyor.runbook;

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
import org.cnx.conveyor.cluster.OnceAcrossInstances;
import org.cnx.conveyor.common.DomainException;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentSummary;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.RunbookSpec;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.jboss.logging.Logger;

/**
 * Runs scheduled runbooks at each firing of their cron expression, once across instances: each firing is a row, and
 * only the instance whose insert of it wins runs it. A firing more than {@link #GRACE} old (Conveyor was down) is
 * skipped.
 */
@ApplicationScoped
class RunbookSchedule {

    static final Duration GRACE = Duration.ofMinutes(1);
    private static final Logger LOG = Logger.getLogger(RunbookSchedule.class);
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final EnvironmentService environments;
    private final Runbooks runbooks;
    private final EntityManager entities;

    RunbookSchedule(EnvironmentService environments, Runbooks runbooks, EntityManager entities) {
        this.environments = environments;
        this.runbooks = runbooks;
        this.entities = entities;
    }

    @Scheduled(
            every = "${conveyor.schedules.poll}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    // Once across instances saves every other instance the work; the row claims below are what makes it exactly once.
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
            for (RunbookSpec spec : definition.runbooks().values()) {
                spec.schedule().flatMap(s -> lastFiring(s, now)).ifPresent(firing -> fire(env.name(), spec, firing));
            }
        }
    }

    static Optional<Instant> lastFiring(RunbookSpec.Schedule schedule, Instant now) {
        return ExecutionTime.forCron(CRON.parse(schedule.cron()))
                .lastExecution(ZonedDateTime.ofInstant(now.plusSeconds(1), ZoneId.of(schedule.zone())))
                .map(ZonedDateTime::toInstant)
                .filter(firing -> !firing.isBefore(now.minus(GRACE)) && !firing.isAfter(now));
    }

    /** Claims one firing (the insert of its row) and, when this call won the claim, starts its job. */
    void fire(String environment, RunbookSpec spec, Instant firing) {
        boolean mine = QuarkusTransaction.requiringNew()
                .call(() -> entities.createNativeQuery("INSERT INTO runbook_firings (environment, runbook, fired_at)"
                                        + " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")
                                .setParameter(1, environment)
                                .setParameter(2, spec.name())
                                .setParameter(3, firing)
                                .executeUpdate()
                        == 1);
        if (!mine) {
            return;
        }
        try {
            JobSummary job = runbooks.startScheduled(environment, spec, firing);
            QuarkusTransaction.requiringNew()
                    .run(() -> entities.createNativeQuery(
                                    "UPDATE runbook_firings SET job_id = ?1 WHERE environment = ?2"
                                            + " AND runbook = ?3 AND fired_at = ?4")
                            .setParameter(1, job.id())
                            .setParameter(2, environment)
                            .setParameter(3, spec.name())
                            .setParameter(4, firing)
                            .executeUpdate());
        } catch (RuntimeException e) {
            LOG.warnf(
                    "scheduled runbook %s of %s (%s) could not start: %s",
                    spec.name(), environment, firing, e.getMessage());
        }
    }
}
