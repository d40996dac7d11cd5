package org.cnx.conveyor.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentSummary;
import org.cnx.conveyor.environment.EnvironmentViews.StageGroup;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;

/**
 * The pipeline at a glance: where each recent release ran and with what outcome (releases × the shared environments,
 * stage by stage), and how many releases each environment is behind the stage before it. Personal clones and
 * previews are left out: they run what their owner or pull request chose, not a stage of the pipeline.
 */
@ApplicationScoped
public class PipelineMatrix {

    /** How many jobs of each environment are looked at for outcomes. */
    static final int JOBS_PER_ENVIRONMENT = 300;

    /** The newest job of one release in one environment; {@code live} when the environment runs that release now. */
    public record Cell(long job, String type, String status, boolean live) {}

    /**
     * One environment: {@code behind} counts the releases newer than its own that succeeded in the stage before it,
     * {@code newest} is the newest of them (what a one-click Promote offers); 0 and null for the first stage.
     */
    public record Column(EnvironmentSummary environment, String previousStage, int behind, Long newest) {}

    /** One release and its cell in each column (null where it never ran). */
    public record Row(ReleaseView release, List<Cell> cells) {}

    public record Matrix(List<Column> columns, List<Row> rows) {

        /** The column of one environment, or null. */
        public Column column(String environment) {
            return columns.stream()
                    .filter(c -> c.environment().name().equals(environment))
                    .findFirst()
                    .orElse(null);
        }
    }

    private final EnvironmentService environments;
    private final JobService jobs;
    private final ReleaseService releases;

    PipelineMatrix(EnvironmentService environments, JobService jobs, ReleaseService releases) {
        this.environments = environments;
        this.jobs = jobs;
        this.releases = releases;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Matrix of(int releaseCount) {
        List<StageGroup> stages = environments.byStage();
        List<EnvironmentSummary> shared = new ArrayList<>();
        Map<String, Map<Long, JobSummary>> newestJob = new HashMap<>();
        for (StageGroup stage : stages) {
            for (EnvironmentSummary env : stage.environments()) {
                if (env.kind().equals("personal") || env.kind().equals("preview")) {
                    continue;
                }
                shared.add(env);
                Map<Long, JobSummary> byRelease = new HashMap<>();
                for (JobSummary job : jobs.recent(env.name(), JOBS_PER_ENVIRONMENT)) {
                    if (job.release() != null) {
                        byRelease.putIfAbsent(job.release(), job); // newest first
                    }
                }
                newestJob.put(env.name(), byRelease);
            }
        }
        List<ReleaseView> recent = releases.list(releaseCount);
        List<Row> rows = new ArrayList<>();
        for (ReleaseView release : recent) {
            List<Cell> cells = new ArrayList<>();
            for (EnvironmentSummary env : shared) {
                JobSummary job = newestJob.get(env.name()).get(release.id());
                boolean live = Long.valueOf(release.id()).equals(env.currentRelease());
                cells.add(
                        job == null && !live
                                ? null
                                : new Cell(
                                        job == null ? 0 : job.id(),
                                        job == null ? "" : job.type(),
                                        job == null ? "live" : job.status(),
                                        live));
            }
            rows.add(new Row(release, cells));
        }
        List<Column> columns = new ArrayList<>();
        for (EnvironmentSummary env : shared) {
            columns.add(column(env, shared, stages, newestJob));
        }
        return new Matrix(columns, rows);
    }

    private static Column column(
            EnvironmentSummary env,
            List<EnvironmentSummary> shared,
            List<StageGroup> stages,
            Map<String, Map<Long, JobSummary>> newestJob) {
        List<String> names = stages.stream().map(StageGroup::stage).toList();
        int index = names.indexOf(env.stage());
        if (index <= 0) {
            return new Column(env, null, 0, null);
        }
        String previous = names.get(index - 1);
        long current = env.currentRelease() == null ? 0 : env.currentRelease();
        java.util.SortedSet<Long> ahead = new java.util.TreeSet<>();
        for (EnvironmentSummary other : shared) {
            if (!other.stage().equals(previous)) {
                continue;
            }
            newestJob.get(other.name()).forEach((release, job) -> {
                if (release > current && job.status().equals("succeeded")) {
                    ahead.add(release);
                }
            });
        }
        return new Column(env, previous, ahead.size(), ahead.isEmpty() ? null : ahead.last());
    }
}
