package org.cnx.conveyor.preview;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.release.ReleaseViews.Source;

/**
 * Continuous deployment: a push to a configured branch queues a build job on the dev environment, which turns the
 * commit into a release and queues its deploy there.
 */
@ApplicationScoped
class PushDeploys {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern BRANCH = Pattern.compile("(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");

    private final GitHubConfig config;
    private final BuildJobs builds;
    private final RepositoryComponents components;
    private final AuditLog audit;

    PushDeploys(GitHubConfig config, BuildJobs builds, RepositoryComponents components, AuditLog audit) {
        this.config = config;
        this.builds = builds;
        this.components = components;
        this.audit = audit;
    }

    /**
     * When the pushed commit was made: {@code head_commit.timestamp} (an ISO time with the committer's offset), when
     * it is the pushed commit's; GitHub always sends it for a push to a branch.
     */
    static Instant committedAt(JsonNode body, String commit) {
        JsonNode head = body.path("head_commit");
        if (!commit.equals(head.path("id").asText(""))) {
            return null;
        }
        try {
            return OffsetDateTime.parse(head.path("timestamp").asText("")).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Reads {@code ref}, {@code after}, {@code deleted} and {@code repository.full_name}; returns what was done. */
    Handled pushed(JsonNode body) {
        String ref = body.path("ref").asText("");
        if (!ref.startsWith("refs/heads/")) {
            return Handled.only("ignored: " + ref + " is not a branch");
        }
        String branch = ref.substring("refs/heads/".length());
        if (!config.push().branches().contains(branch)) {
            return Handled.only("ignored: pushes to " + branch + " are not deployed (conveyor.github.push.branches)");
        }
        if (body.path("deleted").asBoolean(false)) {
            return Handled.only("ignored: branch " + branch + " was deleted");
        }
        String commit = body.path("after").asText("");
        if (!COMMIT.matcher(commit).matches() || !BRANCH.matcher(branch).matches()) {
            throw new Invalid("after: expected a 40-digit commit id and a plain branch name");
        }
        String repository = body.path("repository").path("full_name").asText("");
        if (!REPOSITORY.matcher(repository).matches()) {
            throw new Invalid("repository.full_name: expected owner/name, found \"" + repository + "\"");
        }
        Optional<List<String>> built = components.of(repository);
        if (built.isEmpty()) {
            return Handled.only(components.ignored(repository));
        }
        String environment = config.push().environment();
        return QuarkusTransaction.requiringNew().call(() -> {
            JobSummary job = builds.queue(
                    environment,
                    new Source(branch, commit, null, repository, committedAt(body, commit)),
                    built.get(),
                    null);
            audit.record(
                    PreviewService.ACTOR,
                    null,
                    "push.build",
                    Subjects.environment(environment),
                    "push to " + repository + " " + branch + " at " + commit.substring(0, 12) + " (job " + job.id()
                            + ")");
            return new Handled(
                    "building " + repository + " " + branch + " at " + commit.substring(0, 12) + " for " + environment
                            + " (job " + job.id() + ")",
                    job.id());
        });
    }
}
