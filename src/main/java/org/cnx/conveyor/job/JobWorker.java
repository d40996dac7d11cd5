package org.cnx.conveyor.job;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.cnx.conveyor.auth.Tokens;
import org.cnx.conveyor.common.Daemons;
import org.cnx.conveyor.common.DataDirectory;
import org.cnx.conveyor.environment.EnvironmentService;
import org.jboss.logging.Logger;

/**
 * Claims queued jobs ({@code FOR UPDATE SKIP LOCKED}, one running job per environment), runs them under a lease
 * renewed by a heartbeat, and recovers jobs whose holder died: at start-up and whenever a lease expires.
 */
@ApplicationScoped
public class JobWorker {

    private static final Logger LOG = Logger.getLogger(JobWorker.class);

    // The status words are written into the SQL (not bound) so PostgreSQL plans with the partial indexes on them.
    private static final String NEXT_QUEUED = """
            SELECT j.id FROM jobs j
            WHERE j.status = '%1$s'
              AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.environment_id = j.environment_id AND r.status = '%2$s')
              AND NOT EXISTS (SELECT 1 FROM jobs e WHERE e.environment_id = j.environment_id AND e.status = '%1$s' AND e.id < j.id)
            ORDER BY j.id
            LIMIT 1
            FOR UPDATE SKIP LOCKED
            """.formatted(JobStatus.QUEUED.id(), JobStatus.RUNNING.id());

    private static final String ORPHANED = """
            SELECT id FROM jobs
            WHERE status = '%s' AND (lease_expires_at < now() OR lease_owner = ?1 OR lease_owner IS NULL)
            ORDER BY id
            FOR UPDATE SKIP LOCKED
            """.formatted(JobStatus.RUNNING.id());

    private final JobConfig config;
    private final JobLogStore logs;
    private final JobJournal journal;
    private final EnvironmentService environments;
    private final Instance<JobHandler> handlers;
    private final JobEvents events;
    private final String instanceId;
    private final Set<Long> mine = ConcurrentHashMap.newKeySet();
    private final ExecutorService runners;
    private final ExecutorService claimer = Executors.newSingleThreadExecutor(Daemons.named("job-claimer"));
    private volatile boolean started;

    JobWorker(
            JobConfig config,
            JobLogStore logs,
            JobJournal journal,
            EnvironmentService environments,
            Instance<JobHandler> handlers,
            JobEvents events) {
        this.config = config;
        this.logs = logs;
        this.journal = journal;
        this.environments = environments;
        this.handlers = handlers;
        this.events = events;
        this.instanceId = config.instanceId().orElseGet(JobWorker::defaultInstanceId);
        this.runners = Executors.newFixedThreadPool(config.concurrency(), Daemons.named("job-runner"));
    }

    /** This instance's name in job leases. */
    public String instanceId() {
        return instanceId;
    }

    void onStart(@Observes @Priority(20) StartupEvent event) {
        started = true;
        // Jobs this instance held before it was stopped or killed are recovered at once, not after their lease.
        claimer.submit(this::recoverOrphans);
        wake();
    }

    void onStop(@Observes ShutdownEvent event) {
        started = false;
        claimer.shutdownNow();
        runners.shutdownNow();
    }

    /** Looks for work now (called after a submission, and by the poll). */
    public void wake() {
        if (started) {
            claimer.submit(this::claimAll);
        }
    }

    @Scheduled(every = "${conveyor.jobs.poll}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    @Scheduled(every = "${conveyor.jobs.heartbeat}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        if (mine.isEmpty()) {
            return;
        }
        Instant until = Instant.now().plus(config.lease());
        List<Long> held = List.copyOf(mine);
        int renewed = QuarkusTransaction.requiringNew()
                .call(() -> Job.update(
                        "leaseExpiresAt = ?1 where leaseOwner = ?2 and status = ?3 and id in ?4",
                        until,
                        instanceId,
                        JobStatus.RUNNING,
                        held));
        if (renewed < held.size()) {
            reportLostLeases(held);
        }
    }

    /**
     * A job still running here whose lease another instance took: this instance was too slow to renew it (a long
     * pause, an overloaded database) and the other is recovering it from the journal. Said loudly, since two
     * instances now act on the same environment until this run ends; a lease of three heartbeats or more makes it
     * rare.
     */
    private void reportLostLeases(List<Long> held) {
        QuarkusTransaction.requiringNew()
                .run(() -> Job.<Job>list("id in ?1 and leaseOwner <> ?2", held, instanceId).stream()
                        .filter(job -> job.status() == JobStatus.RUNNING && mine.contains(job.id))
                        .forEach(job -> LOG.errorf(
                                "Job %d lost its lease to %s: this instance missed its heartbeats for %s; the other"
                                        + " instance recovers it from the journal",
                                job.id, job.leaseOwner, config.lease())));
    }

    @Scheduled(
            every = "${conveyor.jobs.reap-every}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reap() {
        if (started) {
            claimer.submit(this::recoverOrphans);
        }
    }

    private void claimAll() {
        try {
            while (started && mine.size() < config.concurrency()) {
                Optional<Job> claimed = claimNext();
                if (claimed.isEmpty()) {
                    return;
                }
                launch(claimed.get(), false);
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot claim jobs; will retry at the next poll", e);
        }
    }

    private Optional<Job> claimNext() {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Number> ids =
                    Job.getEntityManager().createNativeQuery(NEXT_QUEUED).getResultList();
            if (ids.isEmpty()) {
                return Optional.<Job>empty();
            }
            Job job = Job.findById(ids.get(0).longValue());
            job.start(instanceId, Instant.now().plus(config.lease()));
            events.started(job, environments.byId(job.environmentId).name);
            mine.add(job.id);
            return Optional.of(job);
        });
    }

    private void recoverOrphans() {
        try {
            List<Job> orphans = QuarkusTransaction.requiringNew().call(() -> {
                @SuppressWarnings("unchecked")
                List<Number> ids = Job.getEntityManager()
                        .createNativeQuery(ORPHANED)
                        .setParameter(1, instanceId)
                        .getResultList();
                List<Job> taken = ids.stream()
                        .map(id -> Job.<Job>findById(id.longValue()))
                        .filter(job -> !mine.contains(job.id))
                        .toList();
                for (Job job : taken) {
                    job.leaseOwner = instanceId;
                    job.leaseExpiresAt = Instant.now().plus(config.lease());
                    mine.add(job.id);
                }
                return taken;
            });
            orphans.forEach(job -> launch(job, true));
        } catch (RuntimeException e) {
            LOG.warn("Cannot look for orphaned jobs; will retry", e);
        }
    }

    private void launch(Job job, boolean recovering) {
        String environment = QuarkusTransaction.requiringNew().call(() -> environments.byId(job.environmentId).name);
        runners.submit(() -> execute(job, environment, recovering));
    }

    private void execute(Job job, String environment, boolean recovering) {
        JobLog log = logs.open(job.id, List.of());
        RunningJob running = new ClaimedJob(
                job, environment, log, journal.fencedFor(instanceId), () -> logs.flush(log), events, instanceId);
        try {
            JobHandler handler = handlerFor(job.type());
            if (recovering) {
                LOG.infof(
                        "Recovering job %d (%s of %s) from its journal",
                        job.id, job.type().id(), environment);
                handler.recover(running);
            } else {
                handler.run(running);
            }
        } catch (LeaseLost e) {
            // Another instance finishes the job from its journal; this one wrote nothing after losing it.
            LOG.warnf("Job %d stopped here: %s", job.id, e.getMessage());
            log.info("stopped on this instance: " + e.getMessage());
        } catch (RuntimeException e) {
            // An unexpected failure is treated like a crash: the journal says what to undo.
            LOG.errorf(e, "Job %d failed unexpectedly; recovering it from its journal", job.id);
            log.info("Conveyor failed unexpectedly (" + e + "); recovering from the journal");
            try {
                handlerFor(job.type()).recover(running);
            } catch (RuntimeException again) {
                LOG.errorf(again, "Recovery of job %d failed; it will be retried when its lease expires", job.id);
            }
        } catch (Error e) {
            // Logged here because the executor would swallow it; the job stays running and is recovered from its
            // journal once its lease expires.
            LOG.errorf(e, "Job %d stopped on a JVM error; it will be recovered from its journal", job.id);
            throw e;
        } finally {
            logs.close(log);
            mine.remove(job.id);
            wake();
        }
    }

    private JobHandler handlerFor(JobType type) {
        return handlers.stream()
                .filter(h -> h.types().contains(type))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no handler for " + type.id() + " jobs"));
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host + ":" + Tokens.sha256(DataDirectory.resolve().toString()).substring(0, 8);
    }
}
