package org.cnx.conveyor.preview;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.job.JobOrder;
import org.cnx.conveyor.job.JobService;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.release.ReleaseViews.Source;

/**
 * What pull requests do to previews: opening one creates {@code pr-<repository>-<number>} from the preview template and
 * queues the build of its head commit (a job, which queues the deploy once it has a release); a new head builds again;
 * closing (or expiry) queues the teardown. A delivery only records and queues: nothing here waits for a build.
 */
@ApplicationScoped
public class PreviewService {

    static final String ACTOR = "github";

    private final PreviewConfig config;
    private final TemplateEnvironments templates;
    private final EnvironmentService environments;
    private final BuildJobs builds;
    private final RepositoryComponents components;
    private final JobService jobs;
    private final CommitStatuses statuses;
    private final AuditLog audit;

    PreviewService(
            PreviewConfig config,
            TemplateEnvironments templates,
            EnvironmentService environments,
            BuildJobs builds,
            RepositoryComponents components,
            JobService jobs,
            CommitStatuses statuses,
            AuditLog audit) {
        this.config = config;
        this.templates = templates;
        this.environments = environments;
        this.builds = builds;
        this.components = components;
        this.jobs = jobs;
        this.statuses = statuses;
        this.audit = audit;
    }

    /** {@code opened}, {@code reopened}: creates the preview (or builds again for an open one); returns what was done. */
    public Handled open(PullRequest pr) {
        if (!LabelRule.of(config.labels()).allows(pr.labels())) {
            return Handled.only("no preview for pull request " + pr.name() + ": "
                    + LabelRule.of(config.labels()).explain());
        }
        Optional<List<String>> built = components.of(pr.repository());
        if (built.isEmpty()) {
            return Handled.only(components.ignored(pr.repository()));
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Preview.lockNumber(pr.number());
            Optional<Preview> open = Preview.openFor(pr.repository(), pr.number());
            if (open.isPresent()) {
                return build(open.get(), pr, built.get());
            }
            String name = freeName(pr);
            Environment env = templates.create(
                    config.template(),
                    Map.of(
                            "name",
                            name,
                            "number",
                            Integer.toString(pr.number()),
                            "branch",
                            pr.branch(),
                            "commit",
                            pr.headCommit()));
            Preview preview = Preview.open(
                    pr, env.name, environments.definition(env.name).url().orElse(null));
            preview.persist();
            audit.record(
                    ACTOR,
                    null,
                    "preview.created",
                    Subjects.environment(env.name),
                    "pull request " + pr.name() + " (" + pr.branch() + " at " + pr.shortCommit() + ") by "
                            + pr.author());
            Handled build = build(preview, pr, built.get());
            return new Handled("created " + env.name + "; " + build.outcome(), build.job());
        });
    }

    /** The readable name, or the owner-qualified one when another repository's open preview holds it. */
    private static String freeName(PullRequest pr) {
        String name = pr.environment(false);
        boolean taken = Preview.openForEnvironment(name)
                .filter(other -> !other.repository.equals(pr.repository()))
                .isPresent();
        return taken ? pr.environment(true) : name;
    }

    /** {@code labeled}: a label may now allow a preview the pull request did not have. */
    public Handled labeled(PullRequest pr) {
        return QuarkusTransaction.requiringNew()
                        .call(() -> Preview.openFor(pr.repository(), pr.number()))
                        .isPresent()
                ? Handled.only("pull request " + pr.name() + " has a preview already")
                : open(pr);
    }

    /** The previews for the page and the API: open ones first, newest first. */
    public List<PreviewView> list(int limit) {
        return QuarkusTransaction.requiringNew()
                .call(() -> Preview.forPage(limit).stream().map(PreviewView::of).toList());
    }

    /** {@code synchronize}: builds the new head commit (creating the preview if it has none yet). */
    public Handled synchronize(PullRequest pr) {
        Optional<Preview> preview =
                QuarkusTransaction.requiringNew().call(() -> Preview.openFor(pr.repository(), pr.number()));
        if (preview.isEmpty()) {
            return open(pr);
        }
        if (preview.get().status() == PreviewStatus.TEARING_DOWN) {
            return Handled.only("the preview of pull request " + pr.name() + " is being torn down");
        }
        Optional<List<String>> built = components.of(pr.repository());
        if (built.isEmpty()) {
            return Handled.only(components.ignored(pr.repository()));
        }
        return QuarkusTransaction.requiringNew().call(() -> build(Preview.findById(preview.get().id), pr, built.get()));
    }

    /** {@code closed} (merged or not), or {@code unlabeled} when the label rule no longer allows a preview: tears it down. */
    public Handled close(PullRequest pr, String why) {
        return QuarkusTransaction.requiringNew()
                .call(() -> Preview.openFor(pr.repository(), pr.number()))
                .map(preview -> tearDown(preview, ACTOR, why))
                .orElse(Handled.only("pull request " + pr.name() + " has no preview"));
    }

    /** {@code unlabeled}: tears the preview down when the label rule no longer allows it. */
    public Handled unlabeled(PullRequest pr) {
        return LabelRule.of(config.labels()).allows(pr.labels())
                ? Handled.only("the label rule still allows the preview")
                : close(pr, "pull request " + pr.name() + " lost its preview label");
    }

    /** Queues the teardown of an open preview, unless one is queued already. */
    Handled tearDown(Preview preview, String actor, String why) {
        if (preview.status() == PreviewStatus.TEARING_DOWN) {
            return Handled.only(preview.environment + " is already being torn down");
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
        return new Handled("tearing down " + preview.environment + " (job " + job.id() + ")", job.id());
    }

    /** Queues the build of the head commit, in the caller's transaction; GitHub's commit status links to its log. */
    private Handled build(Preview preview, PullRequest pr, List<String> built) {
        preview.describe(pr);
        JobSummary job = builds.queue(
                preview.environment,
                new Source(pr.branch(), pr.headCommit(), pr.number(), pr.repository()),
                built,
                preview.id);
        preview.building(job.id());
        statuses.report(
                pr.repository(),
                pr.headCommit(),
                "pending",
                statuses.link("/jobs/" + job.id()),
                "Building " + pr.shortCommit() + " for " + preview.environment);
        audit.record(
                ACTOR,
                null,
                "preview.build",
                Subjects.environment(preview.environment),
                "pull request " + pr.name() + " at " + pr.shortCommit() + " (job " + job.id() + ")");
        return new Handled(
                "building " + pr.shortCommit() + " for " + preview.environment + " (job " + job.id() + ")", job.id());
    }

    /** The preview's time-to-live: its definition's {@code ttl}, else {@code conveyor.previews.default-ttl}. */
    Duration ttl(String environment) {
        return QuarkusTransaction.requiringNew()
                .call(() -> environments.definition(environment).ttl().orElse(config.defaultTtl()));
    }
}
