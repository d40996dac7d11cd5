package org.cnx.conveyor.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The log of one running job: masks, numbers and buffers lines; {@link JobLogStore} persists them in batches. */
public final class JobLog {

    public static final String CONVEYOR_STREAM = "conveyor";

    private final long jobId;
    private volatile Masker masker;
    private final long maxLines;
    private final AtomicLong seq;
    /** Lines waiting to be stored; beyond this the command's output is read more slowly (its pipe fills up). */
    static final int MAX_BUFFERED = 50_000;

    private final List<LogLine> buffer = new ArrayList<>();
    private boolean truncated;

    JobLog(long jobId, Masker masker, long lastSeq, long maxLines) {
        this.jobId = jobId;
        this.masker = masker;
        this.seq = new AtomicLong(lastSeq);
        this.maxLines = maxLines;
    }

    /**
     * A log that no store drains: for running a job's steps outside a worker (the fast tests of the deploy steps).
     * {@link #lines()} reads what was written.
     */
    public static JobLog unstored(long jobId) {
        return new JobLog(jobId, new Masker(List.of()), 0, MAX_BUFFERED);
    }

    /** The lines written and not yet stored. */
    public List<LogLine> lines() {
        synchronized (buffer) {
            return List.copyOf(buffer);
        }
    }

    public long jobId() {
        return jobId;
    }

    /** From now on, these values are replaced by {@code ****} in every line. */
    public void mask(Collection<String> secretValues) {
        this.masker = new Masker(secretValues);
    }

    /** A line of a command's output. */
    public void append(String host, String component, String stream, String line) {
        String clean = masker.mask(line.replace('\u0000', ' '));
        synchronized (buffer) {
            if (truncated) {
                return;
            }
            long next = seq.incrementAndGet();
            if (next > maxLines) {
                truncated = true;
                buffer.add(new LogLine(
                        next,
                        Instant.now(),
                        host,
                        component,
                        CONVEYOR_STREAM,
                        "… log truncated after " + maxLines + " lines; further output of this job is not stored"));
                return;
            }
            buffer.add(new LogLine(next, Instant.now(), host, component, stream, clean));
            // Backpressure: a command printing faster than the database stores must not fill the heap.
            while (buffer.size() > MAX_BUFFERED) {
                try {
                    buffer.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** A message of Conveyor itself about this job. */
    public void info(String host, String component, String message) {
        append(host, component, CONVEYOR_STREAM, message);
    }

    public void info(String message) {
        append(null, null, CONVEYOR_STREAM, message);
    }

    List<LogLine> drain() {
        synchronized (buffer) {
            if (buffer.isEmpty()) {
                return List.of();
            }
            List<LogLine> lines = new ArrayList<>(buffer);
            buffer.clear();
            buffer.notifyAll();
            return lines;
        }
    }
}
