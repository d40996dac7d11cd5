package org.cnx.conveyor.job;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.job.JobViews.HistoryRow;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;

/** What the dashboard and the environment pages show about jobs: history, recent jobs, releases to deploy. */
@ApplicationScoped
public class EnvironmentActivity {

    static final int HISTORY_ROWS = 20;
    static final int RECENT_JOBS = 20;
    static final int RELEASE_CHOICES = 50;

    /**
     * A release offered in the deploy form; {@code selected} marks the default, the newest release not built from a
     * pull request (a pull request's build is a preview's release, never the obvious thing to deploy).
     */
    public record ReleaseChoice(long id, String label, boolean selected) {

        static List<ReleaseChoice> of(List<ReleaseView> releases) {
            long preferred = releases.stream()
                    .filter(r -> !r.fromPullRequest())
                    .mapToLong(ReleaseView::id)
                    .findFirst()
                    .orElse(-1);
            return releases.stream()
                    .map(r -> new ReleaseChoice(r.id(), label(r), r.id() == preferred))
                    .toList();
        }

        private static final java.time.format.DateTimeFormatter CREATED = java.time.format.DateTimeFormatter.ofPattern(
                        "yyyy-MM-dd HH:mm 'UTC'")
                .withZone(java.time.ZoneOffset.UTC);

        private static String label(ReleaseView release) {
            StringBuilder label =
                    new StringBuilder("#").append(release.id()).append(" · by ").append(release.createdBy());
            if (release.fromPullRequest()) {
                label.append(" · pull request ").append(release.source().pullRequestName());
            }
            if (release.source() != null && release.source().branch() != null) {
                label.append(" · ").append(release.source().branch());
            }
            label.append(" · ").append(CREATED.format(release.createdAt()));
            if (release.notes() != null && !release.notes().isBlank()) {
                // The whole first line: a cut one hid the very words ("older", "hotfix") that tell releases apart.
                label.append(" · ")
                        .append(release.notes().strip().lines().findFirst().orElse(""));
            }
            return label.toString();
        }
    }

    /** One environment's deployment history, recent jobs and what can be deployed to it. */
    public record Panel(
            List<HistoryRow> history, List<JobSummary> jobs, List<ReleaseChoice> releases, LiveRelease live) {

        /** A rollback needs a release that was live before the current one (the same answer a rollback request gets). */
        public boolean canRollBack() {
            return live.canRollBack();
        }

        public Long rollbackTarget() {
            return live.rollbackTarget();
        }

        /** True when no release is preselected (every one offered was built from a pull request). */
        public boolean noDefaultRelease() {
            return releases.stream().noneMatch(ReleaseChoice::selected);
        }
    }

    private final JobService jobs;
    private final ReleaseService releases;
    private final EnvironmentService environments;
    private final LiveReleases live;

    EnvironmentActivity(JobService jobs, ReleaseService releases, EnvironmentService environments, LiveReleases live) {
        this.jobs = jobs;
        this.releases = releases;
        this.environments = environments;
        this.live = live;
    }

    public Panel of(String environment) {
        return new Panel(
                jobs.history(environment, HISTORY_ROWS),
                jobs.recent(environment, RECENT_JOBS),
                ReleaseChoice.of(releases.list(RELEASE_CHOICES)),
                live.of(environments.byName(environment).id));
    }

    /** Each environment's last job by environment name, for the dashboard cards. */
    public Map<String, JobSummary> latestJobs() {
        return jobs.latestByEnvironment();
    }
}
