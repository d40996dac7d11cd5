package org.cnx.conveyor.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.cnx.conveyor.job.Job;
import org.cnx.conveyor.job.JobLog;
import org.cnx.conveyor.job.JobStep;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.Journal;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.job.RunningJob;

/** A running job whose row, journal and log live in memory: for running deploy steps without a database. */
final class MemoryJob implements RunningJob, Journal {

    private final Job row;
    private final JobLog log;
    private final List<JobStep> steps = new ArrayList<>();
    private long nextStep = 1;

    MemoryJob(long releaseId, Long fromReleaseId) {
        this(JobType.DEPLOY, releaseId, fromReleaseId);
    }

    MemoryJob(JobType type, long releaseId, Long fromReleaseId) {
        row = Job.queue(1, type, releaseId, "ada", "test");
        row.id = 1L;
        row.fromReleaseId = fromReleaseId;
        row.start("test", Instant.now().plusSeconds(60));
        log = JobLog.unstored(row.id);
    }

    /** A journal row as a Conveyor that died left it. */
    MemoryJob journaled(Phase phase, String host, String component, String action, String before, JobStep.State state) {
        long id = begin(row.id, phase, host, component, action, before);
        steps.stream().filter(s -> s.id == id).findFirst().orElseThrow().state = state.name();
        return this;
    }

    Job row() {
        return row;
    }

    List<String> logLines() {
        return log.lines().stream()
                .map(line -> line.where() + " " + line.line())
                .toList();
    }

    @Override
    public long id() {
        return row.id;
    }

    @Override
    public JobType type() {
        return row.type();
    }

    @Override
    public long environmentId() {
        return row.environmentId;
    }

    @Override
    public String environment() {
        return "recovering";
    }

    @Override
    public Long releaseId() {
        return row.releaseId;
    }

    @Override
    public Long fromReleaseId() {
        return row.fromReleaseId;
    }

    @Override
    public String requestedBy() {
        return row.requestedBy;
    }

    @Override
    public boolean allowIrreversible() {
        return false;
    }

    @Override
    public JobLog log() {
        return log;
    }

    @Override
    public Journal journal() {
        return this;
    }

    @Override
    public synchronized List<JobStep> steps() {
        return List.copyOf(steps);
    }

    @Override
    public boolean cancelRequested() {
        return false;
    }

    @Override
    public synchronized void finish(Consumer<Job> transition) {
        transition.accept(row);
    }

    @Override
    public void recordFromRelease(Long release) {
        row.fromReleaseId = release;
    }

    @Override
    public synchronized long begin(
            long jobId, Phase phase, String host, String component, String action, String beforeValue) {
        JobStep step = new JobStep();
        step.id = nextStep++;
        step.jobId = jobId;
        step.phase = phase;
        step.host = host;
        step.component = component;
        step.action = action;
        step.state = JobStep.State.STARTED.name();
        step.beforeValue = beforeValue;
        steps.add(step);
        return step.id;
    }

    @Override
    public synchronized void progress(long jobId, long stepId, String detail) {
        steps.stream().filter(s -> s.id == stepId).findFirst().orElseThrow().detail = detail;
    }

    @Override
    public void done(long jobId, long stepId, String detail) {
        mark(stepId, JobStep.State.DONE, detail);
    }

    @Override
    public void failed(long jobId, long stepId, String detail) {
        mark(stepId, JobStep.State.FAILED, detail);
    }

    @Override
    public void skipped(long jobId, long stepId, String detail) {
        mark(stepId, JobStep.State.SKIPPED, detail);
    }

    private synchronized void mark(long stepId, JobStep.State state, String detail) {
        JobStep step = steps.stream().filter(s -> s.id == stepId).findFirst().orElseThrow();
        step.state = state.name();
        step.detail = detail;
        step.finishedAt = Instant.now();
    }

    @Override
    public List<JobStep> steps(long jobId) {
        return steps();
    }

    @Override
    public synchronized void phase(long jobId, Phase phase) {
        row.phase = phase;
    }

    @Override
    public synchronized void committed(long jobId) {
        long id = begin(jobId, Phase.COMMIT, "*", "*", "commit", null);
        mark(id, JobStep.State.DONE, null);
        row.phase = Phase.POST_COMMIT;
    }

    @Override
    public void changed(long jobId) {
        // Nobody follows a job in memory.
    }
}
