package org.cnx.conveyor.auth;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import org.cnx.conveyor.cluster.OnceAcrossInstances;
import org.cnx.conveyor.common.ConveyorConfig;

/** Deletes browser logins idle for longer than the idle timeout, so the table does not grow forever. */
@ApplicationScoped
class SessionSweeper {

    private final ConveyorConfig config;

    SessionSweeper(ConveyorConfig config) {
        this.config = config;
    }

    @OnceAcrossInstances
    @Scheduled(every = "1h", delayed = "1m")
    @Transactional
    void sweep() {
        WebSession.delete(
                "lastSeenAt < ?1", Instant.now().minus(config.session().idleTimeout()));
    }
}
