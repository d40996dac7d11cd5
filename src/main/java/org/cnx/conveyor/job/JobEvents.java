package org.cnx.conveyor.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.events.EventPublisher;
import org.cnx.conveyor.events.EventType;

/** The events a job's life emits, each written with the transition that caused it. */
@ApplicationScoped
public class JobEvents {

    private final EventPublisher events;

    JobEvents(EventPublisher events) {
        this.events = events;
    }

    /** {@code deploy.started}, when a deploy, rollback or retried rollback is claimed. */
    @Transactional(Transactional.TxType.MANDATORY)
    void started(Job job, String environment) {
        if (job.type() == JobType.BUILD || job.type() == JobType.RUNBOOK) {
            // A build changes nothing on its environment; the deploy it queues reports its own start and end. A
            // runbook is not a deploy.
            return;
        }
        events.publish(EventType.DEPLOY_STARTED, subject(job), environment, data(job, environment));
    }

    /** {@code deploy.failed} or {@code deploy.rolled_back} with the job's final transition; other endings say nothing here. */
    @Transactional(Transactional.TxType.MANDATORY)
    void finished(Job job, String environment) {
        if (job.type() == JobType.BUILD || job.type() == JobType.RUNBOOK) {
            return;
        }
        EventType type = switch (job.status()) {
            case FAILED -> EventType.DEPLOY_FAILED;
            case ROLLED_BACK -> EventType.DEPLOY_ROLLED_BACK;
            default -> null;
        };
        if (type != null) {
            events.publish(type, subject(job), environment, data(job, environment));
        }
    }

    /** {@code deploy.succeeded}, with the commit that makes the release live. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void committed(RunningJob job, long releaseId, Long previousReleaseId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job", job.id());
        data.put("kind", job.type().id());
        data.put("environment", job.environment());
        data.put("release", releaseId);
        data.put("previousRelease", previousReleaseId);
        data.put("requestedBy", job.requestedBy());
        events.publish(EventType.DEPLOY_SUCCEEDED, Subjects.job(job.id()), job.environment(), data);
    }

    private static String subject(Job job) {
        return Subjects.job(job.id);
    }

    private static Map<String, Object> data(Job job, String environment) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job", job.id);
        data.put("kind", job.type().id());
        data.put("environment", environment);
        data.put("release", job.releaseId);
        data.put("previousRelease", job.fromReleaseId);
        data.put("requestedBy", job.requestedBy);
        if (job.error != null) {
            data.put("error", job.error);
        }
        return data;
    }
}
