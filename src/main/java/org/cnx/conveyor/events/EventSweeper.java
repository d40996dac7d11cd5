package org.cnx.conveyor.events;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import org.cnx.conveyor.cluster.OnceAcrossInstances;
import org.jboss.logging.Logger;

/**
 * Removes events past their retention that every consumer has taken: no subscription's cursor or pending delivery,
 * nor (while it is on) the Kafka relay's position, is still before them. Their delivery log goes with them. Runs on one instance at a time.
 */
@ApplicationScoped
class EventSweeper {

    private static final Logger LOG = Logger.getLogger(EventSweeper.class);

    private static final String SWEEP = """
            DELETE FROM events
            WHERE created_at < ?1
              AND seq <= COALESCE((SELECT min(cursor_seq) FROM subscriptions), seq)
              AND seq < COALESCE((SELECT min(event_seq) FROM deliveries WHERE status = '%s'), seq + 1)
              AND (NOT ?2 OR seq <= COALESCE((SELECT min(cursor_seq) FROM event_relays), seq))
            """.formatted(Delivery.Status.PENDING.id());

    private final EventsConfig config;
    private final EntityManager db;

    EventSweeper(EventsConfig config, EntityManager db) {
        this.config = config;
        this.db = db;
    }

    @Scheduled(
            every = "${conveyor.events.sweep-interval}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @OnceAcrossInstances
    void scheduledSweep() {
        sweep();
    }

    @Transactional
    void sweep() {
        // A relay position counts only while the relay is on: Kafka switched off must not keep events for ever.
        boolean relaying =
                config.kafka().bootstrapServers().filter(s -> !s.isBlank()).isPresent();
        int removed = db.createNativeQuery(SWEEP)
                .setParameter(1, Timestamp.from(Instant.now().minus(config.retention())))
                .setParameter(2, relaying)
                .executeUpdate();
        if (removed > 0) {
            LOG.infof("Removed %d events past their retention of %s", removed, config.retention());
        }
    }
}
