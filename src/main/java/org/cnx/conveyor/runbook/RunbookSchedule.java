package org.cnx.conveyor.runbook;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.cnx.conveyor.cluster.OnceAcrossInstances;
import org.cnx.conveyor.environment.ScheduledFirings;
import org.cnx.conveyor.environment.definition.RunbookSpec;

/**
 * Runs scheduled runbooks at each firing of their cron expression, once across instances (a row of
 * {@code runbook_firings} per firing). A firing more than {@link ScheduledFirings#GRACE} old is skipped.
 */
@ApplicationScoped
class RunbookSchedule {

    private static final ScheduledFirings.Table FIRINGS =
            new ScheduledFirings.Table("runbook_firings", List.of("environment", "runbook", "fired_at"));

    private final ScheduledFirings firings;
    private final Runbooks runbooks;

    RunbookSchedule(ScheduledFirings firings, Runbooks runbooks) {
        this.firings = firings;
        this.runbooks = runbooks;
    }

    @Scheduled(
            every = "${conveyor.schedules.poll}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    // Once across instances saves every other instance the work; the row claims are what makes it exactly once.
    @OnceAcrossInstances
    void fire() {
        Instant now = Instant.now();
        firings.forEachDefinition((environment, definition) -> {
            for (RunbookSpec spec : definition.runbooks().values()) {
                spec.schedule()
                        .flatMap(s -> s.lastFiring(now, ScheduledFirings.GRACE))
                        .ifPresent(firing -> fire(environment, spec, firing));
            }
        });
    }

    /** Claims one firing (the insert of its row) and, when this call won the claim, starts its job. */
    void fire(String environment, RunbookSpec spec, Instant firing) {
        firings.runOnce(
                FIRINGS,
                List.of(environment, spec.name(), firing),
                () -> runbooks.startScheduled(environment, spec, firing).id(),
                "scheduled runbook " + spec.name() + " of " + environment + " (" + firing + ")");
    }
}
