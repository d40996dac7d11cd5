package org.cnx.conveyor.job;

import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.common.DomainException.Invalid;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.job.JobViews.HistoryRow;
import org.cnx.conveyor.job.JobViews.JobDetail;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.job.JobViews.ReleaseDeployment;
import org.cnx.conveyor.release.ReleaseService;

/** Queues jobs under a lock on their environment, cancels them, and answers what they did. */
@ApplicationScoped
public class JobService {

    private final EnvironmentService environments;
    private final ReleaseService releases;
    private final JobWorker worker;
    private final Instance<DeployCheck> checks;
    private final AuditLog audit;

    JobService(EnvironmentService environments, ReleaseService releases, JobWorker worker, Instance<DeployCheck> checks,
            AuditLog audit) {
        this.audit = audit;
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
            throw new Invalid("release: expected the id of the release to deploy");
        }
        DeployRequest request = new DeployRequest(environment, JobType.DEPLOY, releaseId, allowIrreversible, null);
        check(request);
        return submit(request, by, null);
    }

    /**
     * Runs every {@link DeployCheck} on a request without queueing anything; a promotion checks its deploy when it is
     * requested, long before its approvals start it.
     */
    public void check(DeployRequest request) {
        environments.byName(request.environment());
        permit(request.environment(), request.type(), request.direct());
        releases.get(request.releaseId());
        checks.forEach(check -> check.check(request));
    }

    /**
     * Queues the deploy an approved promotion asked for, inside the caller's transaction so the promotion's new state
     * and its job are committed together.
     */
    public JobSummary deployPromotion(DeployRequest request, String by) {
        check(request);
        return submit(request, by, "promotion #" + request.promotionId());
    }

    /** Queues a job that runs the live release's pending migrations now. */
    public JobSummary migrate(String environment, String by) {
        Environment env = environments.byName(environment);
        if (env.currentReleaseId == null) {
            throw new Conflict("environment \"" + environment + "\" runs no release yet: deploy one first");
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
            throw new Conflict("environment \"" + environment + "\" comes from its own file; only previews and clones are torn down");
        }
        return submit(environment, JobType.TEARDOWN, env.currentReleaseId, by, reason, false);
    }

    /** Queues a job that recreates the environment's embedded database and runs the live release's migrations on it. */
    public JobSummary resetData(String environment, String by) {
        Environment env = environments.byName(environment);
        if (env.currentReleaseId == null) {
            throw new Conflict("environment \"" + environment + "\" runs no release yet: deploy one first");
        }
        return submit(environment, JobType.RESET_DATA, env.currentReleaseId, by, "reset data", false);
    }

    /** Queues a deploy of the release that was live before the current one. */
    public JobSummary rollback(String environment, String by) {
        environments.byName(environment);
        permit(environment, JobType.ROLLBACK, true);
        Long target = QuarkusTransaction.requiringNew().call(() -> {
            Environment env = environments.locked(environment);
            return Deployment.latest(env.id).map(d -> d.previousReleaseId).orElse(null);
        });
        if (target == null) {
            throw new Conflict("environment \"" + environment + "\" has no previous release to roll back to");
        }
        DeployRequest request = new DeployRequest(environment, JobType.ROLLBACK, target, false, null);
        checks.forEach(check -> check.check(request));
        String reason = (environments.definition(environment).isProtected() ? "emergency rollback" : "rollback")
                + " to release " + target;
        return submit(request, by, reason);
    }

    /** Queues a job that brings every host of a degraded environment back to its committed release. */
    public JobSummary retryRollback(String environment, String by) {
        Environment env = environments.byName(environment);
        permit(environment, JobType.RETRY_ROLLBACK, true);
        if (!env.degraded()) {
            throw new Conflict("environment \"" + environment + "\" is not degraded; there is no rollback to retry");
        }
        if (env.currentReleaseId == null) {
            throw new Conflict("environment \"" + environment + "\" has no committed release to return to");
        }
        return submit(environment, JobType.RETRY_ROLLBACK, env.currentReleaseId, by, "retry the rollback of job " + env.healthJobId,
                false);
    }

    private JobSummary submit(DeployRequest request, String by, String reason) {
        JobSummary job = QuarkusTransaction.joiningExisting().call(() -> {
            JobSummary queued = queue(request.environment(), request.type(), request.releaseId(), by, reason,
                    request.allowIrreversible(), request.promotionId());
            String action = reason != null && reason.startsWith("emergency") ? "rollback.emergency"
                    : request.type() == JobType.ROLLBACK ? "rollback.requested" : "deploy.requested";
            audit.record(by, action, "environment:" + request.environment(),
                    "job #" + queued.id() + ", release " + request.releaseId() + (reason == null ? "" : " (" + reason + ")"));
            return queued;
        });
        worker.wake();
        return job;
    }

    private JobSummary submit(String environment, JobType type, Long releaseId, String by, String reason,
            boolean allowIrreversible) {
        JobSummary job = QuarkusTransaction.requiringNew().call(
                () -> queue(environment, type, releaseId, by, reason, allowIrreversible, null));
        worker.wake();
        return job;
    }

    private JobSummary queue(String environment, JobType type, Long releaseId, String by, String reason,
            boolean allowIrreversible, Long promotionId) {
        long envId = environments.lockForJob(environment);
        Job queued = Job.queue(envId, type, releaseId, by, reason);
        queued.allowIrreversible = allowIrreversible;
        queued.promotionId = promotionId;
        queued.persist();
        return JobSummary.of(queued, environment);
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

    /**
     * Cancels a job if the caller may start that kind of job there and, on a protected environment, is a lead: a
     * developer cannot stop a deploy the leads approved. Every cancel is audited.
     */
    @Transactional
    public JobSummary cancel(long id, String by) {
        Job job = find(id);
        String environment = environments.byId(job.environmentId).name;
        checks.forEach(check -> check.permitCancel(environment, job.type(), job.promotionId == null));
        job.cancel();
        audit.record(by, "job.cancelled", "environment:" + environment, "job #" + job.id + " (" + job.type().id()
                + (job.promotionId == null ? "" : ", promotion #" + job.promotionId) + ")");
        return JobSummary.of(job, environment);
    }

    /** The one permission check before a job is queued: every {@link DeployCheck}'s {@code permit}. */
    private void permit(String environment, JobType type, boolean direct) {
        checks.forEach(check -> check.permit(environment, type, direct));
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
        return Deployment.historyOf(env.id, limit).stream()
                .map(d -> HistoryRow.of(d, Job.<Job>findById(d.jobId))).toList();
    }

    /** Every time the release went live anywhere, oldest first: the evidence a promotion rests on. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ReleaseDeployment> whereReleaseRan(long releaseId) {
        return Deployment.<Deployment>list("releaseId = ?1 order by id", releaseId).stream().map(d -> {
            Environment env = environments.byId(d.environmentId);
            return new ReleaseDeployment(env.name, env.stage, d.jobId, d.kind, d.deployedBy, d.deployedAt);
        }).toList();
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
        return Job.findByNumber(id).orElseThrow(() -> new NotFound("no job " + id));
    }
}
