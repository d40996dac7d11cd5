package org.cnx.conveyor.environment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.events.EventPublisher;
import org.cnx.conveyor.events.EventType;

/** What jobs leave on an environment besides its live release: the degraded mark and the warning. */
@ApplicationScoped
public class EnvironmentHealth {

    private final EventPublisher events;

    EnvironmentHealth(EventPublisher events) {
        this.events = events;
    }

    /** Marks the environment degraded by the job, with each host's state, and publishes that it is. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markDegraded(long environmentId, long jobId, String hostStates) {
        Environment env = Environment.findById(environmentId);
        env.markDegraded(jobId, hostStates);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("environment", env.name);
        data.put("job", jobId);
        data.put("hosts", hostStates);
        events.publish(EventType.ENVIRONMENT_DEGRADED, Subjects.environment(env.name), env.name, data);
    }

    /** Sets (or, with a null text, clears) the environment's warning, naming the job it came from. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void warn(long environmentId, Long jobId, String text) {
        Environment env = Environment.findById(environmentId);
        env.warning = text;
        env.warningJobId = text == null ? null : jobId;
    }
}
