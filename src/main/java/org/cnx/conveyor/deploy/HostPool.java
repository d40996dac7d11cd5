package org.cnx.conveyor.deploy;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cnx.conveyor.common.Daemons;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.job.LeaseLost;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.transport.HostConnection;
import org.cnx.conveyor.transport.TransportException;

/** The connections of one job to its hosts, and the bounded parallel fan-out of a phase over them. */
final class HostPool implements AutoCloseable {

    /** Work on one host within a phase. */
    @FunctionalInterface
    interface HostTask {
        void run(HostWork work) throws TransportException;
    }

    private final RunningJob job;
    private final EnvironmentDefinition definition;
    private final DeployServices services;
    private final Map<String, HostWork> open = new ConcurrentHashMap<>();
    private final Map<String, HostConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final ExecutorService pool;

    HostPool(RunningJob job, EnvironmentDefinition definition, DeployServices services) {
        this.job = job;
        this.definition = definition;
        this.services = services;
        int threads = Math.max(
                1, Math.min(definition.hosts().size(), services.config().parallelism()));
        this.pool = Executors.newFixedThreadPool(threads, Daemons.named("job-" + job.id() + "-host"));
    }

    /** Connects to every host at once; returns the unreachable ones with the reason. */
    Map<String, String> connectAll(Collection<Host> hosts) {
        job.journal().phase(job.id(), Phase.CONNECT);
        return fanOut(hosts, this::work);
    }

    /** The host's work, connecting first when needed (a recovering job connects lazily). */
    HostWork work(Host host) throws TransportException {
        HostWork existing = open.get(host.name());
        if (existing != null) {
            return existing;
        }
        // A load balancer's host is reached from several hosts' threads at once: one connection each all the same.
        synchronized (locks.computeIfAbsent(host.name(), name -> new Object())) {
            existing = open.get(host.name());
            return existing != null ? existing : connect(host);
        }
    }

    private HostWork connect(Host host) throws TransportException {
        HostConnection connection = services.kept()
                .take(job.environment(), host.name(), host.endpoint())
                .orElse(null);
        if (connection == null) {
            connection = services.connector().connect(host.endpoint(), services::secretValue);
        }
        connections.put(host.name(), connection);
        HostWork work = new HostWork(
                job,
                definition,
                host,
                new HostLayout(root(host)),
                connection,
                services.config(),
                services::resolveSecrets);
        open.put(host.name(), work);
        return work;
    }

    /**
     * Runs {@code task} on every host in parallel (bounded); returns the failures by host name. The job enters
     * {@code phase} first, unless it is null (clean-up and pruning belong to the phase they follow).
     */
    Map<String, String> eachHost(Phase phase, Collection<Host> hosts, HostTask task) {
        if (phase != null) {
            job.journal().phase(job.id(), phase);
        }
        return fanOut(hosts, host -> task.run(work(host)));
    }

    private Map<String, String> fanOut(Collection<Host> hosts, HostAction action) {
        Map<String, Future<?>> futures = new LinkedHashMap<>();
        for (Host host : hosts) {
            futures.put(host.name(), pool.submit(() -> {
                action.run(host);
                return null;
            }));
        }
        Map<String, String> failures = new LinkedHashMap<>();
        LeaseLost[] leaseLost = {null};
        futures.forEach((host, future) -> {
            try {
                future.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof LeaseLost lost) {
                    leaseLost[0] = lost;
                    return;
                }
                String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
                failures.put(host, why);
                job.log().info(host, null, "failed: " + why);
                if (cause instanceof TransportException.HostUnreachable) {
                    forget(host);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.put(host, "interrupted");
            }
        });
        if (leaseLost[0] != null) {
            // Another instance has the job now: this one must not go on to roll anything back.
            throw leaseLost[0];
        }
        return failures;
    }

    /** A broken connection is dropped, so a later phase (the rollback) reconnects. */
    private void forget(String host) {
        open.remove(host);
        HostConnection connection = connections.remove(host);
        if (connection != null) {
            connection.close();
        }
    }

    @FunctionalInterface
    private interface HostAction {
        void run(Host host) throws Exception;
    }

    static String root(Host host) {
        return host.absoluteRoot();
    }

    /** Gives every connection that did not break back for the environment's next job (or closes it). */
    @Override
    public void close() {
        connections.forEach((name, connection) -> definition
                .host(name)
                .ifPresentOrElse(
                        host -> services.kept().giveBack(job.environment(), name, host.endpoint(), connection),
                        connection::close));
        connections.clear();
        open.clear();
        pool.shutdownNow();
    }
}
