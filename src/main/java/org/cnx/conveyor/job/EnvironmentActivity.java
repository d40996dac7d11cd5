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

    /** A release offered in the deploy form. */
    public record ReleaseChoice(long id, String label) {

        static ReleaseChoice of(ReleaseView release) {
            StringBuilder label =
                    new StringBuilder("#").append(release.id()).append(" · by ").append(release.createdBy());
            if (release.source() != null && release.source().branch() != null) {
                label.append(" · ").append(release.source().branch());
            }
            if (release.notes() != null && !release.notes().isBlank()) {
                String notes = release.notes().strip().lines().findFirst().orElse("");
                label.append(" · ").append(notes.length() > 60 ? notes.substring(0, 59) + "…" : notes);
            }
            return new ReleaseChoice(release.id(), label.toString());
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
                releases.list(RELEASE_CHOICES).stream().map(ReleaseChoice::of).toList(),
                live.of(environments.byName(environment).id));
    }

    /** Each environment's last job by environment name, for the dashboard cards. */
    public Map<String, JobSummary> latestJobs() {
        return jobs.latestByEnvironment();
    }
}
