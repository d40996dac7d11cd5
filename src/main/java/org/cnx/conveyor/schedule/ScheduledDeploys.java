package org.cnx.conveyor.schedule;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.cluster.OnceAcrossInstances;
import org.cnx.conveyor.common.DomainException;
import org.cnx.conveyor.common.DomainException.Forbidden;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.environment.EnvironmentHolds;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.job.DeployRequest;
import org.cnx.conveyor.job.JobOrder;
import org.cnx.conveyor.job.JobService;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.promote.PromotionService;
import org.cnx.conveyor.promote.PromotionViews.PromotionRequest;
import org.jboss.logging.Logger;

/**
 * Deploys asked for at a later time. Checked like a deploy when asked for (permission, protection, migrations) and
 * again when they fire (freezes, locks and everything else then in force); fired once across instances.
 */
@ApplicationScoped
public class ScheduledDeploys implements EnvironmentHolds {

    private static final Logger LOG = Logger.getLogger(ScheduledDeploys.class);
    /** How long after its time a scheduled deploy may still fire when none is given (Conveyor was down). */
    static final Duration DEFAULT_GRACE = Duration.ofHours(1);

    /** A scheduled deploy as the API shows it. */
    public record ScheduledView(
            long id,
            String environment,
            long release,
            Instant at,
            Instant expiresAt,
            String requestedBy,
            String state,
            Long job,
            String outcome,
            Long promotion) {}

    private final EnvironmentService environments;
    private final JobService jobs;
    private final AuditLog audit;
    private final PromotionService promotions;
    private final Clock clock = Clock.systemUTC();

    /**
     * @param config read by {@link #fireDue}'s schedule expression; injected so that its keys are known and checked
     */
    ScheduledDeploys(
            EnvironmentService environments,
            JobService jobs,
            AuditLog audit,
            PromotionService promotions,
            ScheduleConfig config) {
        this.promotions = promotions;
        this.environments = environments;
        this.jobs = jobs;
        this.audit = audit;
    }

    /**
     * Schedules a deploy; the caller must be allowed to deploy the release there (migrations, freezes, locks). To a
     * protected environment it opens a promotion now, whose approvals must all be in by {@code at}.
     */
    public ScheduledView schedule(String environment, Long release, Instant at, Instant expiresAt, String by) {
        if (release == null) {
            throw new Invalid("release: expected the id of the release to deploy");
        }
        Instant now = clock.instant();
        if (at == null || !at.isAfter(now)) {
            throw new Invalid("at: expected a time in the future, found " + (at == null ? "nothing" : at));
        }
        Instant expiry = expiresAt == null ? at.plus(DEFAULT_GRACE) : expiresAt;
        if (!expiry.isAfter(at)) {
            throw new Invalid("expiresAt: expected a time after at (" + at + "), found " + expiry);
        }
        Long promotion = null;
        if (environments.definition(environment).approvals() > 0) {
            promotion = promotions
                    .requestFor(new PromotionRequest(release, environment, "scheduled deploy at " + at, false), by, at)
                    .id();
        } else {
            jobs.check(new DeployRequest(environment, JobType.DEPLOY, release, false, null).scheduledFor(at));
        }
        Long promotionId = promotion;
        return QuarkusTransaction.requiringNew().call(() -> {
            Environment env = environments.byName(environment);
            ScheduledDeploy scheduled = new ScheduledDeploy();
            scheduled.environmentId = env.id;
            scheduled.releaseId = release;
            scheduled.runAt = at;
            scheduled.expiresAt = expiry;
            scheduled.requestedBy = by;
            scheduled.promotionId = promotionId;
            scheduled.persist();
            audit.record(
                    by,
                    "deploy.scheduled",
                    Subjects.environment(environment),
                    "#" + scheduled.id + ": release " + release + " at " + at + " (dropped after " + expiry + ")"
                            + (promotionId == null ? "" : ", approvals by promotion #" + promotionId));
            return view(environment, scheduled);
        });
    }

    public List<ScheduledView> of(String environment) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Environment env = environments.byName(environment);
            return ScheduledDeploy.ofEnvironment(env.id).stream()
                    .map(s -> view(environment, s))
                    .toList();
        });
    }

    /** Cancels a pending one: its requester, a lead or an admin may. */
    public void cancel(long id, String by, boolean leadOrAdmin) {
        QuarkusTransaction.requiringNew().run(() -> {
            ScheduledDeploy scheduled = ScheduledDeploy.<ScheduledDeploy>findByIdOptional(id)
                    .orElseThrow(() -> new NotFound("there is no scheduled deploy #" + id));
            if (!scheduled.requestedBy.equals(by) && !leadOrAdmin) {
                throw new Forbidden("only " + scheduled.requestedBy + " (who scheduled it), a lead or an admin may"
                        + " cancel scheduled deploy #" + id);
            }
            if (!ScheduledDeploy.settle(id, ScheduledDeploy.State.CANCELLED, null, "cancelled by " + by)) {
                throw new DomainException.Conflict("scheduled deploy #" + id + " is already "
                        + scheduled.state().id());
            }
            audit.record(by, "deploy.schedule_cancelled", "environments/" + scheduled.environmentId, "#" + id);
            if (scheduled.promotionId != null) {
                promotions.withdrawScheduled(scheduled.promotionId, "its scheduled deploy #" + id + " was cancelled");
            }
        });
    }

    /** Fires what is due. Each row is claimed before its job is queued, so two instances never both fire it. */
    @Scheduled(
            every = "${conveyor.schedules.poll}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    // Once across instances saves every other instance the work; the row claims below are what makes it exactly once.
    @OnceAcrossInstances
    void fireDue() {
        Instant now = clock.instant();
        List<ScheduledDeploy> due = QuarkusTransaction.requiringNew().call(() -> ScheduledDeploy.due(now));
        for (ScheduledDeploy scheduled : due) {
            fire(scheduled, now);
        }
    }

    private void fire(ScheduledDeploy scheduled, Instant now) {
        String environment = QuarkusTransaction.requiringNew()
                .call(() -> Environment.<Environment>findByIdOptional(scheduled.environmentId)
                        .map(e -> e.name)
                        .orElse(null));
        if (environment == null) {
            return;
        }
        if (now.isAfter(scheduled.expiresAt)) {
            QuarkusTransaction.requiringNew()
                    .run(() -> ScheduledDeploy.settle(
                            scheduled.id,
                            ScheduledDeploy.State.EXPIRED,
                            null,
                            "not fired before " + scheduled.expiresAt + "; dropped"));
            withdraw(scheduled, "its scheduled deploy #" + scheduled.id + " expired");
            return;
        }
        boolean claimed = QuarkusTransaction.requiringNew()
                .call(() -> ScheduledDeploy.settle(
                        scheduled.id,
                        ScheduledDeploy.State.FIRING,
                        null,
                        "claimed; its job was not queued (Conveyor stopped before it could)"));
        if (!claimed) {
            return;
        }
        try {
            if (scheduled.promotionId != null) {
                fireApproved(scheduled);
                return;
            }
            JobSummary job = jobs.submit(JobOrder.of(JobType.DEPLOY, environment, scheduled.requestedBy)
                    .release(scheduled.releaseId)
                    .reason("scheduled deploy #" + scheduled.id + " for " + scheduled.runAt));
            record(scheduled.id, ScheduledDeploy.State.FIRED, job.id(), "deploy job #" + job.id());
        } catch (DomainException e) {
            record(scheduled.id, ScheduledDeploy.State.REFUSED, null, e.getMessage());
            withdraw(scheduled, "its scheduled deploy #" + scheduled.id + " was refused: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf(e, "scheduled deploy #%d could not be queued", scheduled.id);
            record(scheduled.id, ScheduledDeploy.State.REFUSED, null, "could not be queued: " + e.getMessage());
            withdraw(scheduled, "its scheduled deploy #" + scheduled.id + " could not be queued");
        }
    }

    /** A protected environment's: its promotion deploys now if its approvals are in, and is withdrawn otherwise. */
    private void fireApproved(ScheduledDeploy scheduled) {
        PromotionService.ScheduledStart start = QuarkusTransaction.requiringNew()
                .call(() -> promotions.startScheduled(scheduled.promotionId, AuditLog.CONVEYOR));
        if (start.job() != null) {
            record(
                    scheduled.id,
                    ScheduledDeploy.State.FIRED,
                    start.job(),
                    "deploy job #" + start.job() + " of promotion #" + scheduled.promotionId);
        } else {
            record(scheduled.id, ScheduledDeploy.State.REFUSED, null, start.refusal());
            withdraw(scheduled, start.refusal());
        }
    }

    private void withdraw(ScheduledDeploy scheduled, String why) {
        if (scheduled.promotionId != null) {
            QuarkusTransaction.requiringNew().run(() -> promotions.withdrawScheduled(scheduled.promotionId, why));
        }
    }

    private static void record(long id, ScheduledDeploy.State state, Long job, String outcome) {
        QuarkusTransaction.requiringNew()
                .run(() -> ScheduledDeploy.update(
                        "state = ?1, jobId = ?2, outcome = ?3 WHERE id = ?4", state.id(), job, outcome, id));
    }

    @Override
    public List<String> notices(String environment) {
        return of(environment).stream()
                .filter(s -> s.state().equals(ScheduledDeploy.State.PENDING.id()))
                .map(s -> notice(s.release(), s.at(), s.requestedBy()))
                .toList();
    }

    @Override
    public Map<String, List<String>> notices(Collection<String> names) {
        List<ScheduledDeploy> pending = QuarkusTransaction.requiringNew()
                .call(() -> ScheduledDeploy.<ScheduledDeploy>list("state = 'pending' ORDER BY runAt"));
        Map<String, List<String>> all = new LinkedHashMap<>();
        names.forEach(name -> all.put(name, new ArrayList<>()));
        if (pending.isEmpty()) {
            return all;
        }
        for (String name : names) {
            long id = environments.byName(name).id;
            pending.stream()
                    .filter(s -> s.environmentId == id)
                    .forEach(s -> all.get(name).add(notice(s.releaseId, s.runAt, s.requestedBy)));
        }
        return all;
    }

    private static String notice(long release, Instant at, String by) {
        return "Scheduled: release " + release + " at " + at + " (by " + by + ")";
    }

    private static ScheduledView view(String environment, ScheduledDeploy s) {
        return new ScheduledView(
                s.id,
                environment,
                s.releaseId,
                s.runAt,
                s.expiresAt,
                s.requestedBy,
                s.state().id(),
                s.jobId,
                s.outcome,
                s.promotionId);
    }
}
