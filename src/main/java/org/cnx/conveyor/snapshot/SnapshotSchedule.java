package org.cnx.conveyor.snapshot;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.cluster.OnceAcrossInstances;
import org.cnx.conveyor.environment.ScheduledFirings;

/**
 * Takes scheduled snapshots at each firing of a source's {@code snapshots.schedule}, once across instances (a row of
 * {@code snapshot_firings} per firing). A firing more than {@link ScheduledFirings#GRACE} old is skipped.
 */
@ApplicationScoped
class SnapshotSchedule {

    private static final ScheduledFirings.Table FIRINGS =
            new ScheduledFirings.Table("snapshot_firings", List.of("environment", "fired_at"));

    private final ScheduledFirings firings;
    private final SnapshotService snapshots;

    SnapshotSchedule(ScheduledFirings firings, SnapshotService snapshots) {
        this.firings = firings;
        this.snapshots = snapshots;
    }

    @Scheduled(
            every = "${conveyor.schedules.poll}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    // Once across instances saves every other instance the work; the row claims make it exactly once.
    @OnceAcrossInstances
    void fire() {
        Instant now = Instant.now();
        firings.forEachDefinition((source, definition) -> definition
                .snapshots()
                .flatMap(spec -> spec.schedule())
                .flatMap(schedule -> schedule.lastFiring(now, ScheduledFirings.GRACE))
                .ifPresent(firing -> claim(source, firing)));
    }

    /** Queues the snapshot of this firing unless another instance claimed it first. */
    void claim(String source, Instant firing) {
        firings.runOnce(
                FIRINGS,
                List.of(source, firing),
                () -> snapshots.take(source, AuditLog.CONVEYOR).id(),
                "scheduled snapshot of " + source + " (" + firing + ")");
    }
}
