package org.cnx.conveyor.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cnx.conveyor.cluster.Notifications;
import org.cnx.conveyor.common.AfterCommit;

/**
 * Wakes whoever follows a job (log viewers, clients waiting for its end, waiting tests) when its log, its steps or
 * its status change, on this instance and, through {@link Notifications#JOBS}, on every other instance sharing the
 * database (payload: the job id).
 */
@ApplicationScoped
public class JobSignals {

    private final Map<Long, long[]> versions = new ConcurrentHashMap<>();
    private final Map<Long, long[]> stepVersions = new ConcurrentHashMap<>();
    private final Map<Long, long[]> statusVersions = new ConcurrentHashMap<>();
    private final TransactionSynchronizationRegistry transactions;
    private final Notifications notifications;

    JobSignals(TransactionSynchronizationRegistry transactions, Notifications notifications) {
        this.transactions = transactions;
        this.notifications = notifications;
        notifications.on(Notifications.JOBS, payload -> {
            long jobId = Long.parseLong(payload.substring(2));
            if (payload.startsWith("t:")) {
                statusMoved(jobId);
            } else if (payload.startsWith("s:")) {
                stepsMoved(jobId);
            } else {
                changed(jobId);
            }
        });
    }

    /** A step of the job moved: wakes followers and tells them to refresh the progress grid. */
    public void bumpSteps(long jobId) {
        stepsMoved(jobId);
        notifications.send(Notifications.JOBS, "s:" + jobId);
    }

    /** The job's status changed (it ended, for one): wakes followers, and those waiting for the job's end. */
    public void statusChanged(long jobId) {
        statusMoved(jobId);
        notifications.send(Notifications.JOBS, "t:" + jobId);
    }

    /** {@link #statusChanged} once the caller's transaction has committed, so a woken reader sees the new status. */
    void statusChangedAfterCommit(long jobId) {
        AfterCommit.run(transactions, () -> statusChanged(jobId));
    }

    private void statusMoved(long jobId) {
        bump(statusVersions, jobId);
        stepsMoved(jobId);
    }

    private void stepsMoved(long jobId) {
        bump(stepVersions, jobId);
        changed(jobId);
    }

    public long stepVersion(long jobId) {
        return version(stepVersions, jobId);
    }

    /** Something about the job changed: new log lines were stored, a step moved, or it finished. */
    public void bump(long jobId) {
        changed(jobId);
        notifications.send(Notifications.JOBS, "l:" + jobId);
    }

    private void changed(long jobId) {
        bump(versions, jobId);
    }

    public long version(long jobId) {
        return version(versions, jobId);
    }

    /** Waits until the job's version differs from {@code seen} or the timeout passes; returns the current version. */
    public long await(long jobId, long seen, long timeoutMillis) throws InterruptedException {
        return await(versions, jobId, seen, timeoutMillis);
    }

    long statusVersion(long jobId) {
        return version(statusVersions, jobId);
    }

    /** Waits until the job's status version differs from {@code seen} or the timeout passes; the current version. */
    long awaitStatus(long jobId, long seen, long timeoutMillis) throws InterruptedException {
        return await(statusVersions, jobId, seen, timeoutMillis);
    }

    private static void bump(Map<Long, long[]> versions, long jobId) {
        long[] version = versions.computeIfAbsent(jobId, id -> new long[1]);
        synchronized (version) {
            version[0]++;
            version.notifyAll();
        }
    }

    private static long version(Map<Long, long[]> versions, long jobId) {
        long[] version = versions.computeIfAbsent(jobId, id -> new long[1]);
        synchronized (version) {
            return version[0];
        }
    }

    private static long await(Map<Long, long[]> versions, long jobId, long seen, long timeoutMillis)
            throws InterruptedException {
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
