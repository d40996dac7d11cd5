package org.cnx.conveyor.preview;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.cluster.OnceAcrossInstances;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.environment.EnvironmentDestroyed;
import org.cnx.conveyor.events.EventPublisher;
import org.cnx.conveyor.events.EventType;
import org.cnx.conveyor.job.JobService;
import org.cnx.conveyor.job.JobStatus;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.jboss.logging.Logger;

/**
 * Follows previews through their jobs: a finished deploy makes the preview ready (or failed) and reports the commit
 * status; an expired preview is torn down; a finished teardown marks it gone. Each step is its own transaction, so a
 * restarted Conveyor simply picks up where this left off.
 */
@ApplicationScoped
class PreviewWatcher {

    private static final Logger LOG = Logger.getLogger(PreviewWatcher.class);

    private final PreviewService previews;
    private final JobService jobs;
    private final CommitStatuses statuses;
    private final EventPublisher events;
    private final AuditLog audit;

    PreviewWatcher(
            PreviewService previews, JobService jobs, CommitStatuses statuses, EventPublisher events, AuditLog audit) {
        this.previews = previews;
        this.jobs = jobs;
        this.statuses = statuses;
        this.events = events;
        this.audit = audit;
    }

    @OnceAcrossInstances
    @Scheduled(every = "${conveyor.previews.watch-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watchDeploys() {
        for (Preview preview : QuarkusTransaction.requiringNew().call(Preview::waitingForJobs)) {
            JobSummary job = QuarkusTransaction.requiringNew().call(() -> jobs.summary(preview.jobId));
            if (job.finished()) {
                Duration ttl = previews.ttl(preview.environment);
                QuarkusTransaction.requiringNew().run(() -> settle(preview.id, job, ttl));
            }
        }
    }

    @OnceAcrossInstances
    @Scheduled(every = "${conveyor.previews.sweep-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweepExpired() {
        List<Preview> expired = QuarkusTransaction.requiringNew().call(() -> Preview.expired(Instant.now()));
        for (Preview preview : expired) {
            try {
                LOG.infof("Preview %s expired at %s; tearing it down", preview.environment, preview.expiresAt);
                previews.tearDown(preview, "conveyor", "preview expired at " + preview.expiresAt);
            } catch (RuntimeException e) {
                LOG.warnf("Cannot tear down the expired preview %s: %s", preview.environment, e.getMessage());
            }
        }
    }

    private void settle(long previewId, JobSummary job, Duration ttl) {
        Preview preview = Preview.findById(previewId);
        if (!Long.valueOf(job.id()).equals(preview.jobId)) {
            return;
        }
        if (preview.status() == PreviewStatus.BUILDING) {
            // A build that succeeded moved the preview on to its deploy; one that ended otherwise without saying so
            // (cancelled while queued) fails it here.
            if (!JobStatus.SUCCEEDED.id().equals(job.status())) {
                preview.fail("build job " + job.id() + " ended " + job.status()
                        + (job.error() == null ? "" : ": " + job.error()));
                statuses.report(
                        preview.repository,
                        preview.headCommit,
                        "failure",
                        statuses.link("/jobs/" + job.id()),
                        "Build of " + preview.environment + " " + job.status());
            }
            return;
        }
        if (preview.status() != PreviewStatus.DEPLOYING) {
            return;
        }
        if (JobStatus.SUCCEEDED.id().equals(job.status())) {
            preview.ready(ttl);
            LOG.infof(
                    "Preview %s is ready: release %d of %s, %d ms after its deploy was queued, %d ms after the preview was created",
                    preview.environment,
                    preview.releaseId,
                    preview.headCommit,
                    Duration.between(job.createdAt(), Instant.now()).toMillis(),
                    Duration.between(preview.createdAt, Instant.now()).toMillis());
            statuses.report(
                    preview.repository,
                    preview.headCommit,
                    "success",
                    preview.url,
                    "Preview ready: " + (preview.url == null ? preview.environment : preview.url));
            events.publish(
                    EventType.PREVIEW_READY,
                    "previews/" + preview.environment,
                    preview.environment,
                    data(preview, job));
        } else {
            preview.fail(
                    "job " + job.id() + " ended " + job.status() + (job.error() == null ? "" : ": " + job.error()));
            statuses.report(
                    preview.repository,
                    preview.headCommit,
                    "failure",
                    statuses.link("/jobs/" + job.id()),
                    "Deploy of " + preview.environment + " " + job.status());
        }
    }

    /** The teardown's commit transaction: the preview is gone, with its event and audit entry. */
    @Transactional(Transactional.TxType.MANDATORY)
    void onDestroyed(@Observes EnvironmentDestroyed destroyed) {
        Preview.openForEnvironment(destroyed.environment()).ifPresent(preview -> {
            preview.tornDown();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("environment", preview.environment);
            data.put("pullRequest", preview.number);
            data.put("repository", preview.repository);
            data.put("job", destroyed.jobId());
            events.publish(EventType.PREVIEW_TORN_DOWN, "previews/" + preview.environment, preview.environment, data);
            audit.record(
                    "conveyor",
                    null,
                    "preview.torn_down",
                    Subjects.environment(preview.environment),
                    "pull request #" + preview.number + " (job " + destroyed.jobId() + ")");
        });
    }

    private static Map<String, Object> data(Preview preview, JobSummary job) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("environment", preview.environment);
        data.put("pullRequest", preview.number);
        data.put("repository", preview.repository);
        data.put("url", preview.url);
        data.put("branch", preview.branch);
        data.put("commit", preview.headCommit);
        data.put("release", preview.releaseId);
        data.put("job", job.id());
        data.put("expiresAt", preview.expiresAt.toString());
        return data;
    }
}
