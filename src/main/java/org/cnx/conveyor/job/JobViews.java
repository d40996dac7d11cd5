package org.cnx.conveyor.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The shapes in which jobs and history travel through the API and pages. */
public final class JobViews {

    private JobViews() {}

    /** A job without its steps. */
    public record JobSummary(
            long id,
            String environment,
            String type,
            String status,
            Long release,
            Long fromRelease,
            String requestedBy,
            String reason,
            Phase phase,
            String error,
            long logLines,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt) {

        static JobSummary of(Job job, String environment) {
            return new JobSummary(
                    job.id,
                    environment,
                    job.type().id(),
                    job.status().id(),
                    job.releaseId,
                    job.fromReleaseId,
                    job.requestedBy,
                    job.reason,
                    job.phase,
                    job.error,
                    job.logLines,
                    job.createdAt,
                    job.startedAt,
                    job.finishedAt);
        }

        public boolean finished() {
            return JobStatus.parse(status).finished();
        }

        /** Queued or running: it can still be cancelled. */
        public boolean active() {
            return !finished();
        }
    }

    /** One journal entry. */
    public record StepView(
            Phase phase,
            String host,
            String component,
            String action,
            String state,
            String detail,
            Instant startedAt,
            Instant finishedAt) {

        static StepView of(JobStep step) {
            return new StepView(
                    step.phase,
                    step.host,
                    step.component,
                    step.action,
                    step.state.toLowerCase(),
                    step.detail,
                    step.startedAt,
                    step.finishedAt);
        }
    }

    /** One cell of the progress grid: a phase on a host. */
    public record Cell(Phase phase, String host, String state, String detail) {}

    /** A job with its steps and its phase × host progress grid. */
    public record JobDetail(
            JobSummary job, List<Phase> phases, List<String> hosts, List<Cell> grid, List<StepView> steps) {

        static JobDetail of(JobSummary job, List<JobStep> steps) {
            List<StepView> views = steps.stream().map(StepView::of).toList();
            Set<String> hosts = new LinkedHashSet<>();
            Set<Phase> phases = new LinkedHashSet<>();
            views.stream().filter(s -> !s.host().equals("*")).forEach(s -> hosts.add(s.host()));
            Phase.GRID.stream()
                    .filter(p -> views.stream().anyMatch(s -> s.phase() == p))
                    .forEach(phases::add);
            Map<String, Cell> cells = new LinkedHashMap<>();
            for (Phase phase : phases) {
                for (String host : hosts) {
                    List<StepView> inCell = views.stream()
                            .filter(s -> s.phase() == phase
                                    && (s.host().equals(host) || s.host().equals("*")))
                            .toList();
                    cells.put(phase + "/" + host, new Cell(phase, host, summarize(inCell), detail(inCell)));
                }
            }
            return new JobDetail(
                    job, new ArrayList<>(phases), new ArrayList<>(hosts), new ArrayList<>(cells.values()), views);
        }

        /** The steps that ran a migration or an undo on the database; their detail is the script and its schema diff. */
        public List<StepView> databaseSteps() {
            return steps.stream().filter(s -> s.host().equals("database")).toList();
        }

        /** The grid cell of a phase on a host (for pages, which lay the grid out host by host). */
        public Cell cell(Phase phase, String host) {
            return grid.stream()
                    .filter(c -> c.phase() == phase && c.host().equals(host))
                    .findFirst()
                    .orElse(new Cell(phase, host, "none", null));
        }

        private static String summarize(List<StepView> steps) {
            if (steps.isEmpty()) {
                return "none";
            }
            if (steps.stream().anyMatch(s -> s.state().equals("failed"))) {
                return "failed";
            }
            if (steps.stream().anyMatch(s -> s.state().equals("started"))) {
                return "started";
            }
            return "done";
        }

        private static String detail(List<StepView> steps) {
            return steps.stream()
                    .filter(s -> s.detail() != null)
                    .map(s -> s.component() + ": " + s.detail())
                    .reduce((a, b) -> a + "; " + b)
                    .orElse(null);
        }
    }

    /** A row of an environment's deployment history. */
    public record HistoryRow(
            long release,
            Long previousRelease,
            long job,
            String kind,
            String deployedBy,
            Instant deployedAt,
            Long promotion) {

        static HistoryRow of(Deployment d, Job job) {
            return new HistoryRow(
                    d.releaseId,
                    d.previousReleaseId,
                    d.jobId,
                    d.kind,
                    d.deployedBy,
                    d.deployedAt,
                    job == null ? null : job.promotionId);
        }
    }

    /** Where a release went live: one environment, when, through which job. */
    public record ReleaseDeployment(
            String environment, String stage, long job, String kind, String deployedBy, Instant deployedAt) {}
}
