package org.cnx.conveyor.deploy;

import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.cnx.conveyor.transport.Endpoint;
import org.cnx.conveyor.transport.HostConnection;

/**
 * SSH connections kept open between the jobs of an environment ({@code conveyor.deploy.keep-connections}): a job takes
 * a host's connection (it is then its own), and gives it back when it ends. A connection is handed out again only if
 * it still answers and still reaches the host as the definition says now, host key included; idle ones are closed.
 */
@ApplicationScoped
class KeptConnections {

    private record Kept(HostConnection connection, Instant since) {}

    private final Map<String, Kept> idle = new ConcurrentHashMap<>();
    private final Duration keep;

    KeptConnections(DeployConfig config) {
        this.keep = config.keepConnections();
    }

    /** The kept connection to {@code host} of {@code environment}, if one is still good for {@code endpoint}. */
    Optional<HostConnection> take(String environment, String host, Endpoint endpoint) {
        Kept kept = idle.remove(key(environment, host));
        if (kept == null) {
            return Optional.empty();
        }
        if (kept.connection().reusableFor(endpoint)) {
            return Optional.of(kept.connection());
        }
        kept.connection().close();
        return Optional.empty();
    }

    /** Keeps a connection a job is done with, or closes it when keeping is off or it is not worth keeping. */
    void giveBack(String environment, String host, Endpoint endpoint, HostConnection connection) {
        if (keep.isZero() || !connection.reusableFor(endpoint)) {
            connection.close();
            return;
        }
        Kept previous = idle.put(key(environment, host), new Kept(connection, Instant.now()));
        if (previous != null && previous.connection() != connection) {
            previous.connection().close();
        }
    }

    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void closeIdle() {
        Instant limit = Instant.now().minus(keep);
        for (Iterator<Map.Entry<String, Kept>> it = idle.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Kept> entry = it.next();
            if (entry.getValue().since().isBefore(limit) && idle.remove(entry.getKey(), entry.getValue())) {
                entry.getValue().connection().close();
            }
        }
    }

    @PreDestroy
    void closeAll() {
        idle.values().forEach(k -> k.connection().close());
        idle.clear();
    }

    private static String key(String environment, String host) {
        return environment + "\u0000" + host;
    }
}
