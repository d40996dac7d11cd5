package org.cnx.conveyor.runbook;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.events.EventPublisher;
import org.cnx.conveyor.events.EventType;

/** The events of a runbook run, each written with the change it describes; parameters as shown (secrets masked). */
@ApplicationScoped
class RunbookEvents {

    private final EventPublisher events;

    RunbookEvents(EventPublisher events) {
        this.events = events;
    }

    /** {@code runbook.started}, with the run's job queued. */
    @Transactional(Transactional.TxType.MANDATORY)
    void started(long job, String environment, String runbook, String by, Map<String, String> shown) {
        events.publish(
                EventType.RUNBOOK_STARTED,
                Subjects.job(job),
                environment,
                data(job, environment, runbook, by, shown, null));
    }

    /** {@code runbook.succeeded} or {@code runbook.failed}, with the job's last transition. */
    @Transactional(Transactional.TxType.MANDATORY)
    void finished(long job, String environment, String runbook, String by, Map<String, String> shown, String error) {
        events.publish(
                error == null ? EventType.RUNBOOK_SUCCEEDED : EventType.RUNBOOK_FAILED,
                Subjects.job(job),
                environment,
                data(job, environment, runbook, by, shown, error));
    }

    private static Map<String, Object> data(
            long job, String environment, String runbook, String by, Map<String, String> shown, String error) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job", job);
        data.put("environment", environment);
        data.put("runbook", runbook);
        data.put("by", by);
        data.put("parameters", shown);
        if (error != null) {
            data.put("error", error);
        }
        return data;
    }
}
