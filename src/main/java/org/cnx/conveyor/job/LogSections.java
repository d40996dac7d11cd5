package org.cnx.conveyor.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.cnx.conveyor.job.JobViews.JobDetail;
import org.cnx.conveyor.job.JobViews.StepView;

/**
 * The job page's task log: every phase the job goes through, from the start, each holding its log lines grouped by
 * host. A stored line carries no phase, so a line belongs to the phase whose first step started last at or before
 * the line was written; lines from before any step belong to the first phase. The page's script places live lines
 * by the same rule.
 */
record LogSections(List<Section> sections) {

    /** Host section name of job-wide lines (Conveyor's own messages). */
    static final String JOB_WIDE = "conveyor";

    private static final List<Phase> DEPLOY = List.of(
            Phase.PLAN,
            Phase.CONNECT,
            Phase.PREPARE,
            Phase.MIGRATE,
            Phase.SWITCH,
            Phase.VERIFY,
            Phase.COMMIT,
            Phase.POST_COMMIT);

    /** One phase of the job: its state ({@code pending}, {@code running}, {@code done}, {@code skipped}, {@code failed}) and lines. */
    record Section(Phase phase, String state, boolean open, Instant since, List<HostLines> hosts) {

        /** Milliseconds since the epoch of the phase's first step, for the script; empty before it started. */
        public String sinceMillis() {
            return since == null ? "" : Long.toString(since.toEpochMilli());
        }

        public int lineCount() {
            return hosts.stream().mapToInt(h -> h.lines().size()).sum();
        }
    }

    /** The lines one host (or {@link #JOB_WIDE}) wrote in one phase. */
    record HostLines(String host, List<LogLine> lines) {}

    /** The phases a job of this type goes through, before any of them ran. */
    static List<Phase> expected(String type) {
        return switch (type) {
            case "deploy", "rollback", "retry_rollback", "retry-rollback" -> DEPLOY;
            case "teardown" -> List.of(Phase.TEARDOWN);
            case "runbook" -> List.of(Phase.RUN);
            case "snapshot" -> List.of(Phase.DUMP, Phase.SCRUB, Phase.STORE);
            case "build" -> List.of(Phase.BUILD);
            case "reset_data", "reset-data" -> List.of(Phase.RESET);
            case "migrate", "deferred_migrate", "deferred-migrate" -> List.of(Phase.MIGRATE);
            default -> List.of();
        };
    }

    /** Sections for the shown lines; {@code target} (a line jumped to) opens its section. */
    static LogSections of(JobDetail detail, List<LogLine> lines, Long target) {
        JobViews.JobSummary job = detail.job();
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        phases.addAll(expected(job.type().toLowerCase()));
        detail.steps().forEach(s -> phases.add(s.phase()));
        if (job.phase() != null) {
            phases.add(job.phase());
        }
        if (phases.isEmpty()) {
            phases.add(Phase.PLAN);
        }
        Map<Phase, Instant> since = new LinkedHashMap<>();
        for (StepView step : detail.steps()) {
            if (step.startedAt() != null) {
                since.merge(step.phase(), step.startedAt(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        TreeMap<Instant, Phase> starts = new TreeMap<>();
        since.forEach((phase, at) -> starts.putIfAbsent(at, phase));
        Phase first = phases.iterator().next();
        Map<Phase, Map<String, List<LogLine>>> grouped = new LinkedHashMap<>();
        Phase targetPhase = null;
        for (LogLine line : lines) {
            var start = starts.floorEntry(line.at());
            Phase phase = start == null ? first : start.getValue();
            grouped.computeIfAbsent(phase, p -> new LinkedHashMap<>())
                    .computeIfAbsent(line.host() == null ? JOB_WIDE : line.host(), h -> new ArrayList<>())
                    .add(line);
            if (target != null && line.seq() == target) {
                targetPhase = phase;
            }
        }
        List<Section> sections = new ArrayList<>();
        for (Phase phase : phases) {
            String state = state(phase, detail, grouped.containsKey(phase) || since.containsKey(phase));
            List<HostLines> hosts = grouped.getOrDefault(phase, Map.of()).entrySet().stream()
                    .map(e -> new HostLines(e.getKey(), e.getValue()))
                    .toList();
            sections.add(new Section(phase, state, false, since.get(phase), hosts));
        }
        return new LogSections(opened(sections, targetPhase));
    }

    /** The failed phases open, else the running one, else the one a jump lands in, else the last with lines. */
    private static List<Section> opened(List<Section> sections, Phase target) {
        boolean failed = sections.stream().anyMatch(s -> s.state().equals("failed"));
        boolean running = sections.stream().anyMatch(s -> s.state().equals("running"));
        Phase last = sections.stream()
                .filter(s -> s.lineCount() > 0)
                .reduce((a, b) -> b)
                .map(Section::phase)
                .orElse(null);
        return sections.stream()
                .map(s -> new Section(
                        s.phase(),
                        s.state(),
                        s.state().equals("failed")
                                || s.state().equals("running")
                                || s.phase() == target
                                || (!failed && !running && s.phase() == last),
                        s.since(),
                        s.hosts()))
                .toList();
    }

    private static String state(Phase phase, JobDetail detail, boolean reached) {
        JobViews.JobSummary job = detail.job();
        List<StepView> steps =
                detail.steps().stream().filter(s -> s.phase() == phase).toList();
        if (steps.stream().anyMatch(s -> s.state().equals("failed"))
                || (job.status().equals("failed") && phase == job.phase())) {
            return "failed";
        }
        if (job.active() && phase == job.phase()) {
            return "running";
        }
        boolean passed = job.phase() != null && phase.ordinal() < job.phase().ordinal();
        if (reached || (job.status().equals("succeeded") && Objects.equals(phase, job.phase()))) {
            return "done";
        }
        // A phase the job went past without a step or a line had nothing to do (a deploy without migrations).
        return passed ? "skipped" : "pending";
    }
}
