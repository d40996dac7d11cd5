package org.cnx.conveyor.preview;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.environment.EnvironmentDestroyed;

/**
 * Hands out ports and hosts to previews and clones. Allocations of all instances are serialised by a transaction-scoped
 * advisory lock, and the table's unique constraints refuse a port or host given twice even if that lock were bypassed.
 */
@ApplicationScoped
public class Pool {

    /** The advisory lock key of pool allocations ("pool" in ASCII). */
    private static final long LOCK = 0x706f6f6cL;

    private final PoolConfig config;
    private final EntityManager em;

    Pool(PoolConfig config, EntityManager em) {
        this.config = config;
        this.em = em;
    }

    /**
     * Allocates a value for each {@code port:NAME} and {@code host:ROLE} slot to the environment, within the caller's
     * transaction (the allocation exists exactly when the environment does); returns slot → value.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, String> allocate(String environment, List<String> slots) {
        em.createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(?1)")
                .setParameter(1, LOCK)
                .getSingleResult();
        Map<String, String> given = new LinkedHashMap<>();
        for (String slot : slots) {
            int colon = slot.indexOf(':');
            String resource = slot.substring(0, colon);
            String name = slot.substring(colon + 1);
            String value = resource.equals("port") ? freePort() : freeHost();
            em.createNativeQuery(
                            "INSERT INTO pool_allocations (environment, resource, slot, value) VALUES (?1, ?2, ?3, ?4)")
                    .setParameter(1, environment)
                    .setParameter(2, resource)
                    .setParameter(3, name)
                    .setParameter(4, value)
                    .executeUpdate();
            given.put(slot, value);
        }
        return given;
    }

    /** Frees everything allocated to the environment, within the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int release(String environment) {
        return em.createNativeQuery("DELETE FROM pool_allocations WHERE environment = ?1")
                .setParameter(1, environment)
                .executeUpdate();
    }

    /** A teardown's commit returns the environment's allocations to the pool in the same transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    void onDestroyed(@Observes EnvironmentDestroyed destroyed) {
        release(destroyed.environment());
    }

    /** What the environment holds, slot → value (e.g. {@code port:webview → 20001}). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, String> held(String environment) {
        Map<String, String> held = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT resource, slot, value FROM pool_allocations WHERE environment = ?1 ORDER BY id")
                .setParameter(1, environment)
                .getResultList();
        rows.forEach(row -> held.put(row[0] + ":" + row[1], (String) row[2]));
        return held;
    }

    private String freePort() {
        Set<String> used = used("port");
        for (int port = config.firstPort(); port <= config.lastPort(); port++) {
            if (!used.contains(Integer.toString(port))) {
                return Integer.toString(port);
            }
        }
        throw new Conflict("the pool has no free port left (conveyor.pool.first-port " + config.firstPort()
                + " to conveyor.pool.last-port " + config.lastPort() + "); tear down a preview or clone first");
    }

    private String freeHost() {
        Set<String> used = used("host");
        return config.hosts().orElse(List.of()).stream()
                .filter(host -> !used.contains(host))
                .findFirst()
                .orElseThrow(() -> new Conflict("the pool has no free host left (conveyor.pool.hosts); "
                        + "tear down a preview or clone first"));
    }

    private Set<String> used(String resource) {
        @SuppressWarnings("unchecked")
        List<String> values = em.createNativeQuery("SELECT value FROM pool_allocations WHERE resource = ?1")
                .setParameter(1, resource)
                .getResultList();
        return new HashSet<>(values);
    }
}
