package org.cnx.conveyor.job;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.cnx.conveyor.common.Daemons;
import org.jboss.logging.Logger;

/** Persists job logs in batches (one multi-row INSERT per job per tick) and reads them back. */
@ApplicationScoped
public class JobLogStore {

    private static final Logger LOG = Logger.getLogger(JobLogStore.class);
    private static final String INSERT = """
            INSERT INTO job_log (job_id, seq, at, host, component, stream, line)
            SELECT ?, s, a, h, c, st, l
            FROM unnest(?::bigint[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[]) AS t(s, a, h, c, st, l)
            """;

    private static final int BATCH = 10_000;

    private final AgroalDataSource dataSource;
    private final JobSignals signals;
    private final JobConfig config;
    private final Map<Long, JobLog> open = new ConcurrentHashMap<>();
    /** The newest stored lines of each job this instance writes, so live viewers read memory, not the database. */
    private final Map<Long, RecentLines> recent = new ConcurrentHashMap<>();

    private final ScheduledExecutorService flusher =
            Executors.newSingleThreadScheduledExecutor(Daemons.named("job-log-flusher"));

    JobLogStore(AgroalDataSource dataSource, JobSignals signals, JobConfig config) {
        this.dataSource = dataSource;
        this.signals = signals;
        this.config = config;
        long every = config.logFlushInterval().toMillis();
        flusher.scheduleWithFixedDelay(this::flushAll, every, every, TimeUnit.MILLISECONDS);
    }

    /** Opens the log of a job for writing, continuing after its last stored line (a recovered job keeps its log). */
    public JobLog open(long jobId, Collection<String> secretValues) {
        JobLog log = new JobLog(jobId, new Masker(secretValues), lastSeq(jobId), config.logMaxLines());
        recent.put(jobId, new RecentLines());
        open.put(jobId, log);
        return log;
    }

    /** Stores what is left and stops accepting lines. */
    public void close(JobLog log) {
        flush(log);
        open.remove(log.jobId());
        recent.remove(log.jobId());
        signals.bump(log.jobId());
    }

    /** True while a job's log is being written by this instance. */
    public boolean isOpen(long jobId) {
        return open.containsKey(jobId);
    }

    void flushAll() {
        for (JobLog log : open.values()) {
            try {
                flush(log);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Cannot store log lines of job %d; will retry", log.jobId());
            }
        }
    }

    synchronized void flush(JobLog log) {
        List<LogLine> drained = log.drain();
        // Bounded statements: one huge array parameter would cost several copies of the batch in memory.
        for (int from = 0; from < drained.size(); from += BATCH) {
            store(log, drained.subList(from, Math.min(drained.size(), from + BATCH)));
        }
        if (!drained.isEmpty()) {
            signals.bump(log.jobId());
        }
    }

    private void store(JobLog log, List<LogLine> lines) {
        int n = lines.size();
        Long[] seqs = new Long[n];
        Timestamp[] ats = new Timestamp[n];
        String[] hosts = new String[n];
        String[] components = new String[n];
        String[] streams = new String[n];
        String[] texts = new String[n];
        for (int i = 0; i < n; i++) {
            LogLine line = lines.get(i);
            seqs[i] = line.seq();
            ats[i] = Timestamp.from(line.at());
            hosts[i] = line.host();
            components[i] = line.component();
            streams[i] = line.stream();
            texts[i] = line.line();
        }
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT);
                    PreparedStatement count =
                            connection.prepareStatement("UPDATE jobs SET log_lines = ? WHERE id = ?")) {
                insert.setLong(1, log.jobId());
                insert.setArray(2, connection.createArrayOf("bigint", seqs));
                insert.setArray(3, connection.createArrayOf("timestamptz", ats));
                insert.setArray(4, connection.createArrayOf("text", hosts));
                insert.setArray(5, connection.createArrayOf("text", components));
                insert.setArray(6, connection.createArrayOf("text", streams));
                insert.setArray(7, connection.createArrayOf("text", texts));
                insert.executeUpdate();
                count.setLong(1, seqs[n - 1]);
                count.setLong(2, log.jobId());
                count.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store " + n + " log lines of job " + log.jobId(), e);
        }
        RecentLines tail = recent.get(log.jobId());
        if (tail != null) {
            tail.add(lines);
        }
    }

    /** Lines after {@code afterSeq}, oldest first: from memory while this instance writes the job, else stored. */
    public List<LogLine> after(long jobId, long afterSeq, int limit) {
        RecentLines tail = recent.get(jobId);
        if (tail != null) {
            List<LogLine> lines = tail.after(afterSeq, limit);
            if (lines != null) {
                return lines;
            }
        }
        return query(
                "SELECT seq, at, host, component, stream, line FROM job_log WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                jobId,
                afterSeq,
                limit);
    }

    /** The {@code limit} lines before {@code beforeSeq}, oldest first (for paging back from the tail). */
    public List<LogLine> before(long jobId, long beforeSeq, int limit) {
        List<LogLine> lines = query(
                "SELECT seq, at, host, component, stream, line FROM job_log WHERE job_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
                jobId,
                beforeSeq,
                limit);
        Collections.reverse(lines);
        return lines;
    }

    /** Lines of a whole log that contain a text (any case), with how many there are in all. */
    public record Search(long count, List<LogLine> lines) {}

    /**
     * Searches the stored log, not just what a page has loaded: the number of lines containing {@code text} (ignoring
     * case) and the first {@code limit} of them, optionally only one host's (job-wide lines, without a host, always
     * count). The text is matched literally: no pattern characters.
     */
    public Search search(long jobId, String text, String host, int limit) {
        String where = "job_id = ? AND strpos(lower(line), lower(?)) > 0 AND (? IS NULL OR host IS NULL OR host = ?)";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM job_log WHERE " + where);
                PreparedStatement first =
                        connection.prepareStatement("SELECT seq, at, host, component, stream, line FROM job_log WHERE "
                                + where + " ORDER BY seq LIMIT ?")) {
            for (PreparedStatement statement : List.of(count, first)) {
                statement.setLong(1, jobId);
                statement.setString(2, text);
                statement.setString(3, host);
                statement.setString(4, host);
            }
            first.setInt(5, limit);
            long total;
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                total = rows.getLong(1);
            }
            return new Search(total, read(first));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot search the log of job " + jobId, e);
        }
    }

    /** Every line, oldest first, without holding them all in memory. */
    public void forEach(long jobId, Consumer<LogLine> consumer) {
        long cursor = 0;
        List<LogLine> page;
        do {
            page = after(jobId, cursor, 10_000);
            page.forEach(consumer);
            if (!page.isEmpty()) {
                cursor = page.get(page.size() - 1).seq();
            }
        } while (page.size() == 10_000);
    }

    private long lastSeq(long jobId) {
        List<LogLine> last = before(jobId, Long.MAX_VALUE, 1);
        return last.isEmpty() ? 0 : last.get(0).seq();
    }

    private List<LogLine> query(String sql, long jobId, long seq, int limit) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, jobId);
            statement.setLong(2, seq);
            statement.setInt(3, limit);
            return read(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the log of job " + jobId, e);
        }
    }

    private static List<LogLine> read(PreparedStatement statement) throws SQLException {
        List<LogLine> lines = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                lines.add(new LogLine(
                        rows.getLong(1),
                        rows.getTimestamp(2).toInstant(),
                        rows.getString(3),
                        rows.getString(4),
                        rows.getString(5),
                        rows.getString(6)));
            }
        }
        return lines;
    }

    void onStop(@Observes ShutdownEvent event) {
        flushAll();
        flusher.shutdown();
    }
}
