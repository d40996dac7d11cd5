package org.cnx.conveyor.freeze;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cnx.conveyor.cluster.OnceAcrossInstances;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.events.EventPublisher;
import org.cnx.conveyor.events.EventType;
import org.cnx.conveyor.freeze.FreezeWindow.Interval;

/**
 * Publishes {@code freeze.started} (one event per environment the freeze covers) when a freeze window begins, once
 * across instances: the window's row in {@code freeze_notices} is inserted in the event's transaction, and only the
 * instance whose insert wins publishes. A window that began more than {@link #GRACE} ago (Conveyor was down) is not
 * announced late, unless the freeze was created inside it.
 */
@ApplicationScoped
class FreezeNotices {

    static final Duration GRACE = Duration.ofMinutes(15);

    private final EnvironmentService environments;
    private final EventPublisher events;
    private final EntityManager entities;

    FreezeNotices(EnvironmentService environments, EventPublisher events, EntityManager entities) {
        this.environments = environments;
        this.events = events;
        this.entities = entities;
    }

    @Scheduled(
            every = "${conveyor.schedules.poll}",
            delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    // Once across instances saves every other instance the work; the row insert is what makes it exactly once.
    @OnceAcrossInstances
    void announce() {
        Instant now = Instant.now();
        List<Freeze> freezes = QuarkusTransaction.requiringNew().call(() -> Freeze.<Freeze>listAll());
        for (Freeze freeze : freezes) {
            startedWindow(freeze, now)
                    .ifPresent(window -> QuarkusTransaction.requiringNew().run(() -> announce(freeze, window)));
        }
    }

    /** The window of the freeze that is in force now and should be announced, if any. */
    static Optional<Interval> startedWindow(Freeze freeze, Instant now) {
        return freeze.window()
                .activeAt(now)
                .filter(w -> !w.from().isBefore(now.minus(GRACE)) || freeze.createdAt.isAfter(w.from()));
    }

    private void announce(Freeze freeze, Interval window) {
        boolean mine = entities.createNativeQuery(
                                "INSERT INTO freeze_notices (freeze_id, starts_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                        .setParameter(1, freeze.id)
                        .setParameter(2, window.from())
                        .executeUpdate()
                == 1;
        if (!mine) {
            return;
        }
        Set<String> covered = freeze.environment != null
                ? Set.of(freeze.environment)
                : environments.namesInStages(Set.of(freeze.stage));
        for (String environment : covered) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("freeze", freeze.id);
            data.put("environment", environment);
            data.put("stage", freeze.stage);
            data.put("reason", freeze.reason);
            data.put("from", window.from().toString());
            data.put("until", window.to().toString());
            data.put("createdBy", freeze.createdBy);
            events.publish(EventType.FREEZE_STARTED, "freezes/" + freeze.id, environment, data);
        }
    }
}
