package org.cnx.conveyor.job;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.job.JobViews.HistoryRow;
import org.cnx.conveyor.job.JobViews.JobDetail;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.web.ProblemException;

/** Queues jobs under a lock on their environment, cancels them, and answers what they did. */
@ApplicationScoped
public class JobService {

    private final EnvironmentService environments;
    private final ReleaseService releases;
    private final JobWorker worker;
    private final Instance<DeployCheck> checks;

    JobService(EnvironmentService environments, ReleaseService releases, JobWorker worker, Instance<DeployCheck> checks) {
        this.environments = environments;
        this.releases = releases;
        this.worker = worker;
        this.checks = checks;
    }

    /** Queues a deploy of the release; it runs after the environment's earlier jobs, in submission order. */
    public JobSummary deploy(String environment, Long releaseId, String by) {
        return deploy(environment, releaseId, by, false);
    }

    /**
     * Queues a deploy of the release after every {@link DeployCheck} passed; {@code allowIrreversible} confirms that
     * migrations without an undo script may run.
     */
    public JobSummary deploy(String environment, Long releaseId, String by, boolean allowIrreversible) {
        if (releaseId == null) {
            throw ProblemException.invalid("release: expected the id of the release to deploy");
        }
        releases.get(releaseId);
        environments.byName(environment);
        checks.forEach(check -> check.check(environment, JobType.DEPLOY, releaseId, allowIrreversible));
        return submit(environment, JobType.DEPLOY, releaseId, by, null, allowIrreversible);
    }

    /** Queues a job that runs the live release's pending migrations now. */
    public JobSummary migrate(String environment, String by) {
        Environment env = environments.byName(environment);
        if (env.currentReleaseId == null) {
            throw ProblemException.conflict("environment \"" + environment + "\" runs no release yet: deploy one first");
        }
        return submit(environment, JobType.MIGRATE, env.currentReleaseId, by, "run pending migrations", false);
    }

    /** Queues the follow-up job that runs a committed release's deferred migrations. */
    public JobSummary deferredMigrations(String environment, long releaseId, String by, String reason) {
        return submit(environment, JobType.DEFERRED_MIGRATE, releaseId, by, reason, false);
    }

    /** Queues the teardown of an environment made from a template: after its earlier jobs, it removes everything. */
    public JobSummary teardown(String environment, String by, String reason) {
        Environment env = environments.byName(environment);
        if (!env.fromTemplate()) {
            throw ProblemException.conflict("environment \"" + environment + "\" comes from its own file; only previews and clones are torn down");
        }
        return submit(environment, JobType.TEARDOWN, env.currentReleaseId, by, reason, false);
    }

    /** Queues a job that recreates the environment's embedded database and runs the live release's migrations on it. */
    public JobSummary resetData(String environment, String by) {
        Environment env = environments.byName(environment);
        if (env.currentReleaseId == null) {
            throw ProblemException.conflict("environment \"" + environment + "\" runs no release yet: deploy one first");
        }
        return submit(environment, JobType.RESET_DATA, env.currentReleaseId, by, "reset data", false);
    }

    /** Queues a deploy of the release that was live before the current one. */
    public JobSummary rollback(String environment, String by) {
        Long target = QuarkusTransaction.requiringNew().call(() -> {
            Environment env = environments.locked(environment);
            return Deployment.latest(env.id).map(d -> d.previousReleaseId).orElse(null);
        });
        if (target == null) {
            throw ProblemException.conflict("environment \"" + environment + "\" has no previous release to roll back to");
        }
        checks.forEach(check -> check.check(environment, JobType.ROLLBACK, target, false));
        return submit(environment, JobType.ROLLBACK, target, by, "rollback to release " + target, false);
    }

    /** Queues a job that brings every host of a degraded environment back to its committed release. */
    public JobSummary retryRollback(String environment, String by) {
        Environment env = environments.byName(environment);
        if (!env.degraded()) {
            throw ProblemException.conflict("environment \"" + environment + "\" is not degraded; there is no rollback to retry");
        }
        if (env.currentReleaseId == null) {
            throw ProblemException.conflict("environment \"" + environment + "\" has no committed release to return to");
        }
        return submit(environment, JobType.RETRY_ROLLBACK, env.currentReleaseId, by, "retry the rollback of job " + env.healthJobId,
                false);
    }

    private JobSummary submit(String environment, JobType type, Long releaseId, String by, String reason,
            boolean allowIrreversible) {
        JobSummary job = QuarkusTransaction.requiringNew().call(() -> {
            long envId = environments.lockForJob(environment);
            Job queued = Job.queue(envId, type, releaseId, by, reason);
            queued.allowIrreversible = allowIrreversible;
            queued.persist();
            return JobSummary.of(queued, environment);
        });
        worker.wake();
        return job;
    }

    /**
     * The release most recently committed in a shared (or production) environment of the stage, if any: "the latest
     * release that succeeded in dev" for a new personal clone.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Optional<Long> latestLiveInStage(String stage) {
        return Deployment.getEntityManager().createQuery("""
                select d.releaseId from Deployment d, Environment e
                where e.id = d.environmentId and e.stage = ?1 and e.kind not in ('personal', 'preview')
                order by d.id desc""", Long.class).setParameter(1, stage).setMaxResults(1)
                .getResultStream().findFirst();
    }

    @Transactional
    public JobSummary cancel(long id) {
        Job job = find(id);
        try {
            job.cancel();
        } catch (IllegalStateException e) {
            throw ProblemException.conflict(e.getMessage());
        }
        return JobSummary.of(job, environments.byId(job.environmentId).name);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public JobSummary summary(long id) {
        Job job = find(id);
        return JobSummary.of(job, environments.byId(job.environmentId).name);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public JobDetail detail(long id) {
        Job job = find(id);
        return JobDetail.of(JobSummary.of(job, environments.byId(job.environmentId).name), JobStep.forJob(id));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<JobSummary> recent(String environment, int limit) {
        Environment env = environments.byName(environment);
        return Job.recentFor(env.id, limit).stream().map(j -> JobSummary.of(j, env.name)).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<HistoryRow> history(String environment, int limit) {
        Environment env = environments.byName(environment);
        return Deployment.historyOf(env.id, limit).stream().map(HistoryRow::of).toList();
    }

    /** Each environment's most recent job, by environment name; environments that never had a job are absent. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, JobSummary> latestByEnvironment() {
        Map<String, JobSummary> latest = new HashMap<>();
        for (Job job : Job.latestPerEnvironment()) {
            String name = environments.byId(job.environmentId).name;
            latest.put(name, JobSummary.of(job, name));
        }
        return latest;
    }

    private static Job find(long id) {
        return Job.findByNumber(id).orElseThrow(() -> ProblemException.notFound("no job " + id));
    }
}
