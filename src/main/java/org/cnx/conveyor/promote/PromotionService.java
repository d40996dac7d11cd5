package org.cnx.conveyor.promote;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.DomainException;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.common.DomainException.Forbidden;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.deploy.DeployPlan;
import org.cnx.conveyor.deploy.DeployPlanner;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentSummary;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.events.EventPublisher;
import org.cnx.conveyor.events.EventType;
import org.cnx.conveyor.job.DeployRequest;
import org.cnx.conveyor.job.JobOrder;
import org.cnx.conveyor.job.JobService;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.job.JobViews.ReleaseDeployment;
import org.cnx.conveyor.promote.PromotionViews.ApprovalView;
import org.cnx.conveyor.promote.PromotionViews.PromotionRequest;
import org.cnx.conveyor.promote.PromotionViews.PromotionReview;
import org.cnx.conveyor.promote.PromotionViews.PromotionTarget;
import org.cnx.conveyor.promote.PromotionViews.PromotionView;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;

/**
 * Moves releases through the stages: checks the stage before was passed, collects approvals from leads for protected
 * environments, and queues the deploy once they are complete.
 */
@ApplicationScoped
@Transactional
public class PromotionService {

    private final Pipeline pipeline;
    private final PromotionConfig config;
    private final EnvironmentService environments;
    private final ReleaseService releases;
    private final JobService jobs;
    private final DeployPlanner planner;
    private final EventPublisher events;
    private final AuditLog audit;

    PromotionService(
            Pipeline pipeline,
            PromotionConfig config,
            EnvironmentService environments,
            ReleaseService releases,
            JobService jobs,
            DeployPlanner planner,
            EventPublisher events,
            AuditLog audit) {
        this.pipeline = pipeline;
        this.config = config;
        this.environments = environments;
        this.releases = releases;
        this.jobs = jobs;
        this.planner = planner;
        this.events = events;
        this.audit = audit;
    }

    /** Requests a promotion; one to an unprotected environment starts its deploy at once. */
    public PromotionView request(PromotionRequest request, String by) {
        return open(request, by, null);
    }

    /**
     * Opens the approvals of a deploy scheduled for {@code deployAt}: the promotion collects approvals as any other,
     * but its deploy waits for {@link #startScheduled} at that time.
     */
    public PromotionView requestFor(PromotionRequest request, String by, Instant deployAt) {
        return open(request, by, deployAt);
    }

    private PromotionView open(PromotionRequest request, String by, Instant deployAt) {
        if (request == null
                || request.release() == null
                || request.environment() == null
                || request.environment().isBlank()) {
            throw new Invalid("expected {\"release\": ID, \"environment\": NAME}");
        }
        ReleaseView release = releases.get(request.release());
        long releaseId = release.id();
        Environment env = environments.byName(request.environment());
        EnvironmentDefinition definition = environments.definition(env.name);
        Optional<String> gate = pipeline.gateOf(definition.stage());
        gate.ifPresent(stage -> requirePassed(release, stage, definition.stage()));
        Promotion.pendingFor(env.id, releaseId).ifPresent(p -> {
            throw new Conflict("promotion #" + p.id + " of release " + releaseId + " to " + env.name
                    + " is already waiting for approval");
        });

        Promotion promotion = new Promotion();
        promotion.releaseId = releaseId;
        promotion.environmentId = env.id;
        promotion.fromStage = gate.orElse(null);
        promotion.toStage = definition.stage();
        promotion.approvalsRequired = definition.approvals();
        promotion.requestedBy = by;
        promotion.note = request.note();
        promotion.allowIrreversible = Boolean.TRUE.equals(request.allowIrreversible());
        promotion.deployAt = deployAt;
        promotion.persist();
        jobs.check(deployRequest(promotion, env.name));

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("promotion", promotion.id);
        data.put("release", releaseId);
        data.put("from", promotion.fromStage);
        data.put("to", promotion.toStage);
        data.put("by", by);
        data.put("required", promotion.approvalsRequired);
        events.publish(EventType.PROMOTION_REQUESTED, subject(promotion), env.name, data);
        audit.record(
                by,
                "promotion.requested",
                auditSubject(promotion),
                "release " + releaseId + " to " + env.name + " (" + promotion.approvalsRequired + " approval(s) needed)"
                        + (deployAt == null ? "" : ", deploy scheduled for " + deployAt));
        if (promotion.approvalsRequired == 0 && deployAt == null) {
            start(promotion, env.name, by);
        }
        return view(promotion);
    }

    /** Records a lead's approval; the one that completes the count starts the deploy. */
    public PromotionView approve(long id, String lead) {
        Promotion promotion = Promotion.locked(id).orElseThrow(() -> notFound(id));
        promotion.requirePending("be approved");
        if (promotion.requestedBy.equals(lead) && !config.allowSelfApproval()) {
            throw new Forbidden("you requested promotion #" + id + "; another lead must approve it");
        }
        Instant now = Instant.now();
        Optional<Approval> earlier = Approval.by(id, lead);
        if (earlier.isPresent() && earlier.get().countsAt(now, config.approvalTtl())) {
            throw new Conflict("you already approved promotion #" + id);
        }
        Approval approval = earlier.orElseGet(Approval::new);
        approval.promotionId = id;
        approval.approver = lead;
        approval.approvedAt = now;
        approval.persist();

        int counted = countedApprovals(promotion, now);
        String environment = environments.byId(promotion.environmentId).name;
        events.publish(
                EventType.PROMOTION_APPROVED,
                subject(promotion),
                environment,
                Map.of(
                        "promotion",
                        id,
                        "release",
                        promotion.releaseId,
                        "to",
                        promotion.toStage,
                        "approvedBy",
                        lead,
                        "approvals",
                        counted,
                        "required",
                        promotion.approvalsRequired));
        audit.record(
                lead,
                "promotion.approved",
                auditSubject(promotion),
                counted + " of " + promotion.approvalsRequired + " approval(s)");
        if (counted >= promotion.approvalsRequired && promotion.deployAt == null) {
            start(promotion, environment, lead);
        }
        return view(promotion);
    }

    /**
     * At a scheduled deploy's time: starts its promotion's deploy when the approvals counted now are enough, and
     * returns the job; otherwise says why not (the caller then withdraws the promotion).
     */
    public ScheduledStart startScheduled(long id, String by) {
        Promotion promotion = Promotion.locked(id).orElseThrow(() -> notFound(id));
        if (promotion.state() != PromotionState.PENDING) {
            return ScheduledStart.refused(
                    "promotion #" + id + " was " + promotion.state().id() + " before its time");
        }
        int counted = countedApprovals(promotion, Instant.now());
        if (counted < promotion.approvalsRequired) {
            return ScheduledStart.refused("promotion #" + id + " had " + counted + " of " + promotion.approvalsRequired
                    + " approval(s) at its time; a protected environment's deploy needs them all before it");
        }
        start(promotion, environments.byId(promotion.environmentId).name, by);
        return new ScheduledStart(promotion.jobId, null);
    }

    /** Withdraws a scheduled deploy's promotion that will not deploy (refused, expired, cancelled); a no-op when decided. */
    public void withdrawScheduled(long id, String why) {
        Promotion.<Promotion>locked(id)
                .filter(p -> p.state() == PromotionState.PENDING)
                .ifPresent(p -> {
                    p.cancel(AuditLog.CONVEYOR);
                    audit.record(AuditLog.CONVEYOR, "promotion.cancelled", auditSubject(p), why);
                });
    }

    /** What became of a scheduled deploy's promotion at its time: the job it started, or why none was. */
    public record ScheduledStart(Long job, String refusal) {
        static ScheduledStart refused(String why) {
            return new ScheduledStart(null, why);
        }
    }

    public PromotionView reject(long id, String lead, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new Invalid("reason: say why the promotion is rejected");
        }
        Promotion promotion = Promotion.locked(id).orElseThrow(() -> notFound(id));
        promotion.reject(lead, reason.strip());
        String environment = environments.byId(promotion.environmentId).name;
        events.publish(
                EventType.PROMOTION_REJECTED,
                subject(promotion),
                environment,
                Map.of(
                        "promotion",
                        id,
                        "release",
                        promotion.releaseId,
                        "to",
                        promotion.toStage,
                        "rejectedBy",
                        lead,
                        "reason",
                        promotion.rejectionReason));
        audit.record(lead, "promotion.rejected", auditSubject(promotion), promotion.rejectionReason);
        return view(promotion);
    }

    /** Withdraws a waiting promotion; only its requester or an admin may. */
    public PromotionView cancel(long id, String by, boolean admin) {
        Promotion promotion = Promotion.locked(id).orElseThrow(() -> notFound(id));
        if (!admin && !promotion.requestedBy.equals(by)) {
            throw new Forbidden(
                    "only " + promotion.requestedBy + " (who requested it) or an admin may cancel promotion #" + id);
        }
        promotion.cancel(by);
        audit.record(by, "promotion.cancelled", auditSubject(promotion), null);
        return view(promotion);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PromotionView get(long id) {
        return view(Promotion.<Promotion>findByIdOptional(id).orElseThrow(() -> notFound(id)));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<PromotionView> list(String state, int limit) {
        List<Promotion> found;
        try {
            found = state == null || state.isBlank()
                    ? Promotion.newest(limit)
                    : Promotion.inState(PromotionState.parse(state), limit);
        } catch (IllegalArgumentException e) {
            throw new Invalid("state: " + e.getMessage());
        }
        return found.stream().map(this::view).toList();
    }

    /** Waiting promotions this lead may still approve: not their own (unless allowed), not approved by them yet. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<PromotionView> waitingFor(String lead) {
        Instant now = Instant.now();
        return Promotion.inState(PromotionState.PENDING, 500).stream()
                .filter(p -> config.allowSelfApproval() || !p.requestedBy.equals(lead))
                .filter(p -> Approval.by(p.id, lead)
                        .map(a -> !a.countsAt(now, config.approvalTtl()))
                        .orElse(true))
                .map(this::view)
                .toList();
    }

    /** The promotion with what its deploy would change and where the release already ran. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public PromotionReview review(long id) {
        PromotionView promotion = get(id);
        Instant now = Instant.now();
        List<ApprovalView> approvals = Approval.of(id).stream()
                .map(a -> new ApprovalView(
                        a.approver,
                        a.approvedAt,
                        a.approvedAt.plus(config.approvalTtl()),
                        !a.countsAt(now, config.approvalTtl())))
                .toList();
        DeployPlan plan = null;
        String planError = null;
        try {
            plan = planner.plan(promotion.environment(), promotion.release());
        } catch (DomainException e) {
            planError = e.getMessage();
        }
        return new PromotionReview(promotion, approvals, plan, planError, jobs.whereReleaseRan(promotion.release()));
    }

    /**
     * Where a release may be promoted, for the promote form: the shared environments of the pipeline's stages in
     * stage order, each saying whether its gate lets the release through now and, if not, why. Personal clones and
     * previews are deployed directly, never promoted to.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<PromotionTarget> targets(long releaseId) {
        ReleaseView release = releases.get(releaseId);
        List<String> stages = pipeline.stages();
        java.util.Set<String> ranIn = new java.util.HashSet<>();
        jobs.whereReleaseRan(releaseId).forEach(d -> ranIn.add(d.stage()));
        return environments.list().stream()
                .filter(e -> stages.contains(e.stage()))
                .filter(e -> !e.kind().equals("personal") && !e.kind().equals("preview"))
                .sorted(java.util.Comparator.comparing((EnvironmentSummary e) -> stages.indexOf(e.stage()))
                        .thenComparing(EnvironmentSummary::name))
                .map(e -> new PromotionTarget(e.name(), e.stage(), e.currentRelease(), refusal(release, e, ranIn)))
                .toList();
    }

    private String refusal(ReleaseView release, EnvironmentSummary env, java.util.Set<String> ranIn) {
        if (Long.valueOf(release.id()).equals(env.currentRelease())) {
            return "already runs it";
        }
        Optional<String> gate = pipeline.gateOf(env.stage());
        if (gate.isEmpty()) {
            return null;
        }
        if (release.fromPullRequest()) {
            return "built from a pull request";
        }
        return ranIn.contains(gate.get()) ? null : "needs a success in " + gate.get() + " first";
    }

    private void start(Promotion promotion, String environment, String by) {
        JobSummary job = jobs.submit(JobOrder.of(deployRequest(promotion, environment), promotion.requestedBy));
        promotion.approve(by, job.id());
        audit.record(
                by,
                "promotion.deploy_started",
                auditSubject(promotion),
                "job #" + job.id() + " deploys release " + promotion.releaseId + " to " + environment);
    }

    /**
     * A gate lets through a release that succeeded in the stage before, unless it was built from a pull request: a
     * preview's success says nothing about the merged code, whatever stage the preview's environment is in.
     */
    private void requirePassed(ReleaseView release, String stage, String target) {
        if (release.fromPullRequest()) {
            throw new Conflict("release " + release.id() + " was built from pull request "
                    + release.source().pullRequestName() + ", not from a merged commit; it cannot pass the gate of \""
                    + target + "\". Merge the pull request and promote the release built from the merge");
        }
        requireSucceededIn(stage, release.id(), target);
    }

    private void requireSucceededIn(String stage, long releaseId, String target) {
        boolean succeeded = jobs.whereReleaseRan(releaseId).stream()
                .map(ReleaseDeployment::stage)
                .anyMatch(stage::equals);
        if (!succeeded) {
            throw new Conflict("release " + releaseId + " has not succeeded in any environment of stage \"" + stage
                    + "\", the stage before \"" + target + "\"; deploy it there first");
        }
    }

    private int countedApprovals(Promotion promotion, Instant now) {
        return (int) Approval.of(promotion.id).stream()
                .filter(a -> a.countsAt(now, config.approvalTtl()))
                .count();
    }

    private static DeployRequest deployRequest(Promotion promotion, String environment) {
        return new DeployRequest(
                environment, JobType.DEPLOY, promotion.releaseId, promotion.allowIrreversible, promotion.id);
    }

    private PromotionView view(Promotion p) {
        JobSummary job = p.jobId == null ? null : jobs.summary(p.jobId);
        return PromotionView.of(p, environments.byId(p.environmentId).name, countedApprovals(p, Instant.now()), job);
    }

    private static String subject(Promotion promotion) {
        return Subjects.promotion(promotion.id);
    }

    private static String auditSubject(Promotion promotion) {
        return Subjects.promotion(promotion.id);
    }

    private static NotFound notFound(long id) {
        return new NotFound("no promotion " + id);
    }
}
