package org.cnx.conveyor.job;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cnx.conveyor.cluster.Notifications;

/**
 * Wakes whoever follows a job (log viewers, waiting tests) when its log or its steps change, on this instance and,
 * through {@link Notifications#JOBS}, on every other instance sharing the database (payload: the job id).
 */
@ApplicationScoped
public class JobSignals {

    private final Map<Long, long[]> versions = new ConcurrentHashMap<>();
    private final Map<Long, long[]> stepVersions = new ConcurrentHashMap<>();
    private final Notifications notifications;

    JobSignals(Notifications notifications) {
        this.notifications = notifications;
        notifications.on(Notifications.JOBS, payload -> {
            long jobId = Long.parseLong(payload.substring(2));
            if (payload.startsWith("s:")) {
                stepsMoved(jobId);
            } else {
                changed(jobId);
            }
        });
    }

    /** A step of the job moved (or its status changed): wakes followers and tells them to refresh the progress grid. */
    public void bumpSteps(long jobId) {
        stepsMoved(jobId);
        notifications.send(Notifications.JOBS, "s:" + jobId);
    }

    private void stepsMoved(long jobId) {
        long[] version = stepVersions.computeIfAbsent(jobId, id -> new long[1]);
        synchronized (version) {
            version[0]++;
        }
        changed(jobId);
    }

    public long stepVersion(long jobId) {
        long[] version = stepVersions.computeIfAbsent(jobId, id -> new long[1]);
        synchronized (version) {
            return version[0];
        }
    }

    /** Something about the job changed: new log lines were stored, a step moved, or it finished. */
    public void bump(long jobId) {
        changed(jobId);
        notifications.send(Notifications.JOBS, "l:" + jobId);
    }

    private void changed(long jobId) {
        long[] version = versions.computeIfAbsent(jobId, id -> new long[1]);
        synchronized (version) {
            version[0]++;
            version.notifyAll();
        }
    }

    public long version(long jobId) {
        long[] version = versions.computeIfAbsent(jobId, id -> new long[1]);
        synchronized (version) {
            return version[0];
        }
    }

    /** Waits until the job's version differs from {@code seen} or the timeout passes; returns the current version. */
    public long await(long jobId, long seen, long timeoutMillis) throws InterruptedException {
        long[] version = versions.computeIfAbsent(jobId, id -> new long[1]);
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (version) {
            while (version[0] == seen) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                version.wait(left);
            }
            return version[0];
        }
    }
}
