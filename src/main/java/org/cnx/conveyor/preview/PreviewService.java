package org.cnx.conveyor.preview;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.DomainException;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.job.JobOrder;
import org.cnx.conveyor.job.JobService;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;
import org.cnx.conveyor.release.ReleaseViews.Source;

/**
 * What pull requests do to previews: opening one creates {@code pr-<number>} from the preview template and deploys a
 * release of its head commit; a new head redeploys; closing (or expiry) queues the teardown. Each step commits on its
 * own: builds and jobs are not held inside a transaction.
 */
@ApplicationScoped
public class PreviewService {

    static final String ACTOR = "github";

    private final PreviewConfig config;
    private final TemplateEnvironments templates;
    private final EnvironmentService environments;
    private final CommitBuilds builds;
    private final JobService jobs;
    private final CommitStatuses statuses;
    private final AuditLog audit;

    PreviewService(
            PreviewConfig config,
            TemplateEnvironments templates,
            EnvironmentService environments,
            CommitBuilds builds,
            JobService jobs,
            CommitStatuses statuses,
            AuditLog audit) {
        this.config = config;
        this.templates = templates;
        this.environments = environments;
        this.builds = builds;
        this.jobs = jobs;
        this.statuses = statuses;
        this.audit = audit;
    }

    /** {@code opened}, {@code reopened}, {@code labeled}: creates the preview (or redeploys an open one); returns what was done. */
    public String open(PullRequest pr) {
        if (!LabelRule.of(config.labels()).allows(pr.labels())) {
            return "no preview for pull request #" + pr.number() + ": "
                    + LabelRule.of(config.labels()).explain();
        }
        boolean created = QuarkusTransaction.requiringNew().call(() -> {
            Preview.lockNumber(pr.number());
            if (Preview.openFor(pr.number()).isPresent()) {
                return false;
            }
            Environment env = templates.create(
                    config.template(),
                    Map.of(
                            "name",
                            pr.environment(),
                            "number",
                            Integer.toString(pr.number()),
                            "branch",
                            pr.branch(),
                            "commit",
                            pr.headCommit()));
            Preview.open(pr, env.name, environments.definition(env.name).url().orElse(null))
                    .persist();
            audit.record(
                    ACTOR,
                    null,
                    "preview.created",
                    Subjects.environment(env.name),
                    "pull request #" + pr.number() + " (" + pr.branch() + " at " + pr.shortCommit() + ") by "
                            + pr.author());
            return true;
        });
        return (created ? "created " + pr.environment() + "; " : "") + deployHead(pr);
    }

    /** {@code labeled}: a label may now allow a preview the pull request did not have. */
    public String labeled(PullRequest pr) {
        return QuarkusTransaction.requiringNew()
                        .call(() -> Preview.openFor(pr.number()))
                        .isPresent()
                ? "pull request #" + pr.number() + " has a preview already"
                : open(pr);
    }

    /** The previews for the page and the API: open ones first, newest first. */
    public List<PreviewView> list(int limit) {
        return QuarkusTransaction.requiringNew()
                .call(() -> Preview.forPage(limit).stream().map(PreviewView::of).toList());
    }

    /** {@code synchronize}: deploys the new head commit (creating the preview if it has none yet). */
    public String synchronize(PullRequest pr) {
        Optional<Preview> preview = QuarkusTransaction.requiringNew().call(() -> Preview.openFor(pr.number()));
        if (preview.isEmpty()) {
            return open(pr);
        }
        if (preview.get().status() == PreviewStatus.TEARING_DOWN) {
            return "the preview of pull request #" + pr.number() + " is being torn down";
        }
        return deployHead(pr);
    }

    /** {@code closed} (merged or not), or {@code unlabeled} when the label rule no longer allows a preview: tears it down. */
    public String close(PullRequest pr, String why) {
        return QuarkusTransaction.requiringNew()
                .call(() -> Preview.openFor(pr.number()))
                .map(preview -> tearDown(preview, ACTOR, why))
                .orElse("pull request #" + pr.number() + " has no preview");
    }

    /** {@code unlabeled}: tears the preview down when the label rule no longer allows it. */
    public String unlabeled(PullRequest pr) {
        return LabelRule.of(config.labels()).allows(pr.labels())
                ? "the label rule still allows the preview"
                : close(pr, "pull request #" + pr.number() + " lost its preview label");
    }

    /** Queues the teardown of an open preview, unless one is queued already. */
    String tearDown(Preview preview, String actor, String why) {
        if (preview.status() == PreviewStatus.TEARING_DOWN) {
            return preview.environment + " is already being torn down";
        }
        JobSummary job = jobs.submit(
                JobOrder.of(JobType.TEARDOWN, preview.environment, actor).reason(why));
        QuarkusTransaction.requiringNew().run(() -> {
            Preview.<Preview>findById(preview.id).tearingDown(job.id());
            audit.record(
                    actor,
                    null,
                    "preview.teardown",
                    Subjects.environment(preview.environment),
                    why + " (job " + job.id() + ")");
        });
        return "tearing down " + preview.environment + " (job " + job.id() + ")";
    }

    private String deployHead(PullRequest pr) {
        Preview preview = QuarkusTransaction.requiringNew().call(() -> {
            Preview open = Preview.openFor(pr.number()).orElseThrow();
            open.describe(pr);
            return open;
        });
        ReleaseView release;
        try {
            release = builds.build(
                    new Source(pr.branch(), pr.headCommit(), pr.number()),
                    pr.repository(),
                    "Preview of pull request #" + pr.number() + " at " + pr.shortCommit(),
                    ACTOR);
        } catch (CommitBuilds.BuildFailed e) {
            failed(preview.id, e.getMessage(), statuses.link("/previews"));
            return "the build of " + pr.shortCommit() + " failed";
        }
        JobSummary job;
        try {
            job = jobs.submit(
                    JobOrder.of(JobType.DEPLOY, preview.environment, ACTOR).release(release.id()));
        } catch (DomainException e) {
            failed(preview.id, e.getMessage(), statuses.link("/previews"));
            return "the deploy of release " + release.id() + " was refused: " + e.getMessage();
        }
        Duration ttl = ttl(preview.environment);
        QuarkusTransaction.requiringNew().run(() -> {
            Preview row = Preview.findById(preview.id);
            row.deploying(release.id(), job.id(), ttl);
            statuses.report(
                    row.repository,
                    pr.headCommit(),
                    "pending",
                    statuses.link("/jobs/" + job.id()),
                    "Deploying " + row.environment + " (release " + release.id() + ")");
            audit.record(
                    ACTOR,
                    null,
                    "preview.deploy",
                    Subjects.environment(row.environment),
                    "release " + release.id() + " of " + pr.shortCommit() + " (job " + job.id() + ")");
        });
        return "deploying release " + release.id() + " to " + preview.environment + " (job " + job.id() + ")";
    }

    private void failed(long previewId, String why, String link) {
        QuarkusTransaction.requiringNew().run(() -> {
            Preview row = Preview.findById(previewId);
            row.fail(why);
            statuses.report(row.repository, row.headCommit, "failure", link, "Preview failed: " + why);
        });
    }

    /** The preview's time-to-live: its definition's {@code ttl}, else {@code conveyor.previews.default-ttl}. */
    Duration ttl(String environment) {
        return QuarkusTransaction.requiringNew()
                .call(() -> environments.definition(environment).ttl().orElse(config.defaultTtl()));
    }
}
