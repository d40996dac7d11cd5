package org.cnx.conveyor.preview;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.ConveyorConfig;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.job.JobOrder;
import org.cnx.conveyor.job.JobService;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.release.ReleaseViews.ComponentPin;
import org.cnx.conveyor.release.ReleaseViews.NewRelease;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;

/**
 * What a build's end changes, inside the transaction that ends its job: the release made of the dev stage's release
 * and the built components, the deploy that follows, the preview and its commit status.
 */
@ApplicationScoped
class BuildOutcomes {

    private final JobService jobs;
    private final ReleaseService releases;
    private final EnvironmentService environments;
    private final CommitStatuses statuses;
    private final PreviewConfig previews;
    private final ConveyorConfig conveyor;
    private final AuditLog audit;

    BuildOutcomes(
            JobService jobs,
            ReleaseService releases,
            EnvironmentService environments,
            CommitStatuses statuses,
            PreviewConfig previews,
            ConveyorConfig conveyor,
            AuditLog audit) {
        this.jobs = jobs;
        this.releases = releases;
        this.environments = environments;
        this.statuses = statuses;
        this.previews = previews;
        this.conveyor = conveyor;
        this.audit = audit;
    }

    /** Creates the release and queues its deploy (unless the preview moved on meanwhile); returns what was done. */
    @Transactional(Transactional.TxType.MANDATORY)
    String succeeded(RunningJob job, long buildId, Map<String, ComponentPin> built) {
        Build build = Build.findById(buildId);
        Map<String, ComponentPin> pins = new LinkedHashMap<>();
        if (!build.componentList().isEmpty()) {
            ReleaseView base = releases.get(baseRelease(build));
            build.baseReleaseId = base.id();
            pins.putAll(base.components());
        }
        pins.putAll(built);
        ReleaseView release =
                releases.create(new NewRelease(pins, notes(build, built), build.source()), PreviewService.ACTOR);
        build.releaseId = release.id();
        Preview preview = build.previewId == null ? null : Preview.findById(build.previewId);
        if (preview != null
                && (preview.status() != PreviewStatus.BUILDING || !Objects.equals(preview.jobId, job.id()))) {
            return "release " + release.id() + " is not deployed: the preview of " + build.what() + " is "
                    + preview.status() + " with job " + preview.jobId;
        }
        JobSummary deploy = jobs.submit(JobOrder.of(JobType.DEPLOY, job.environment(), PreviewService.ACTOR)
                .release(release.id()));
        build.deployJobId = deploy.id();
        if (preview != null) {
            preview.deploying(
                    release.id(),
                    deploy.id(),
                    environments.definition(preview.environment).ttl().orElse(previews.defaultTtl()));
            statuses.report(
                    preview.repository,
                    preview.headCommit,
                    "pending",
                    statuses.link("/jobs/" + deploy.id()),
                    "Deploying " + preview.environment + " (release " + release.id() + ")");
        }
        audit.record(
                PreviewService.ACTOR,
                null,
                build.pullRequest != null ? "preview.deploy" : "push.deploy",
                Subjects.environment(job.environment()),
                "release " + release.id() + " of " + build.what() + " at " + build.shortCommit() + " (build job "
                        + job.id() + ", deploy job " + deploy.id() + ")");
        return "release " + release.id() + " built; deploying it to " + job.environment() + " (job " + deploy.id()
                + ")";
    }

    /** The build failed: its preview fails and GitHub hears it, with a link to the build's log. */
    @Transactional(Transactional.TxType.MANDATORY)
    void failed(long jobId, long buildId, String why) {
        Build build = Build.findById(buildId);
        if (build.previewId == null) {
            return;
        }
        Preview preview = Preview.findById(build.previewId);
        if (preview.status() == PreviewStatus.BUILDING && Objects.equals(preview.jobId, jobId)) {
            preview.fail("build job " + jobId + ": " + why);
            statuses.report(
                    preview.repository,
                    preview.headCommit,
                    "failure",
                    statuses.link("/jobs/" + jobId),
                    "Build failed: " + why);
        }
    }

    /** The release last committed in the dev stage (the pipeline's first) that was not built from a pull request. */
    private long baseRelease(Build build) {
        String stage = conveyor.stages().get(0);
        return jobs.lastCommittedIn(stage, id -> !releases.get(id).fromPullRequest())
                .orElseThrow(() -> new Conflict("no release has been deployed to an environment of stage \"" + stage
                        + "\" yet, so " + build.what() + " has nothing to replace "
                        + String.join(", ", build.componentList()) + " in; deploy a release there first"));
    }

    private static String notes(Build build, Map<String, ComponentPin> built) {
        String what = (build.pullRequest != null ? "Preview of pull request " : "Push to ") + build.what() + " at "
                + build.shortCommit();
        return build.baseReleaseId == null
                ? what
                : what + ": " + String.join(", ", built.keySet())
                        + " built from it, every other component from release " + build.baseReleaseId;
    }
}
