package org.cnx.conveyor.preview;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Pattern;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.job.JobOrder;
import org.cnx.conveyor.job.JobService;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;
import org.cnx.conveyor.release.ReleaseViews.Source;

/** Continuous deployment: a push to a configured branch is built into a release and deployed to the dev environment. */
@ApplicationScoped
class PushDeploys {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern BRANCH = Pattern.compile("(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");

    private final GitHubConfig config;
    private final CommitBuilds builds;
    private final JobService jobs;
    private final AuditLog audit;

    PushDeploys(GitHubConfig config, CommitBuilds builds, JobService jobs, AuditLog audit) {
        this.config = config;
        this.builds = builds;
        this.jobs = jobs;
        this.audit = audit;
    }

    /** Reads {@code ref}, {@code after}, {@code deleted} and {@code repository.full_name}; returns what was done. */
    String pushed(JsonNode body) {
        String ref = body.path("ref").asText("");
        if (!ref.startsWith("refs/heads/")) {
            return "ignored: " + ref + " is not a branch";
        }
        String branch = ref.substring("refs/heads/".length());
        if (!config.push().branches().contains(branch)) {
            return "ignored: pushes to " + branch + " are not deployed (conveyor.github.push.branches)";
        }
        if (body.path("deleted").asBoolean(false)) {
            return "ignored: branch " + branch + " was deleted";
        }
        String commit = body.path("after").asText("");
        if (!COMMIT.matcher(commit).matches() || !BRANCH.matcher(branch).matches()) {
            throw new Invalid("after: expected a 40-digit commit id and a plain branch name");
        }
        String repository = body.path("repository").path("full_name").asText("");
        String environment = config.push().environment();
        ReleaseView release;
        try {
            release = builds.build(
                    new Source(branch, commit, null),
                    repository,
                    "Push to " + branch + " at " + commit.substring(0, 12),
                    PreviewService.ACTOR);
        } catch (CommitBuilds.BuildFailed e) {
            return "the build of " + commit.substring(0, 12) + " failed: " + e.getMessage();
        }
        JobSummary job = jobs.submit(
                JobOrder.of(JobType.DEPLOY, environment, PreviewService.ACTOR).release(release.id()));
        QuarkusTransaction.requiringNew()
                .run(() -> audit.record(
                        PreviewService.ACTOR,
                        null,
                        "push.deploy",
                        Subjects.environment(environment),
                        "push to " + branch + ": release " + release.id() + " of " + commit.substring(0, 12) + " (job "
                                + job.id() + ")"));
        return "deploying release " + release.id() + " of " + branch + " to " + environment + " (job " + job.id() + ")";
    }
}
