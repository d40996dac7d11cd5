package org.cnx.conveyor.job;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Wakes whoever follows a job (log viewers, waiting tests) when its log or its steps change. */
@ApplicationScoped
public class JobSignals {

    private final Map<Long, long[]> versions = new ConcurrentHashMap<>();
    private final Map<Long, long[]> stepVersions = new ConcurrentHashMap<>();

    /** A step of the job moved (or its status changed): wakes followers and tells them to refresh the progress grid. */
    public void bumpSteps(long jobId) {
        long[] version = stepVersions.computeIfAbsent(jobId, id -> new long[1]);
        synchronized (version) {
            version[0]++;
        }
        bump(jobId);
    }

    public long stepVersion(long jobId) {
        long[] version = stepVersions.computeIfAbsent(jobId, id -> new long[1]);
        synchronized (version) {
            return version[0];
        }
    }

    /** Something about the job changed: new log lines were stored, a step moved, or it finished. */
    public void bump(long jobId) {
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
