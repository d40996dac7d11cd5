package org.cnx.conveyor.job;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.cnx.conveyor.common.Daemons;
import org.jboss.logging.Logger;

/**
 * {@code GET /api/jobs/{id}/log}: the job's log as Server-Sent Events. Each line's event id is its sequence number,
 * so a client reconnecting with {@code Last-Event-ID} continues with no gap and no duplicate; {@code progress}
 * events carry the phase × host grid (at most four a second); an {@code end} event with the final status closes the
 * stream.
 */
@Path("/api")
class JobLogStream {

    private static final Logger LOG = Logger.getLogger(JobLogStream.class);
    private static final int PAGE = 1000;
    private static final long KEEPALIVE_MILLIS = 15_000;
    // The grid is the whole job's detail: sent at most this often while steps move (the last one always), so a job
    // with many hosts costs each viewer a few snapshots a second, not one per step.
    private static final long PROGRESS_MILLIS = 250;

    private final JobService jobs;
    private final JobLogStore logs;
    private final JobSignals signals;
    private final ExecutorService followers = Executors.newCachedThreadPool(Daemons.named("job-log-follower"));

    JobLogStream(JobService jobs, JobLogStore logs, JobSignals signals) {
        this.jobs = jobs;
        this.logs = logs;
        this.signals = signals;
    }

    @GET
    @Path("jobs/{id}/log")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void follow(
            long id,
            @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("after") Long after,
            @Context SseEventSink sink,
            @Context Sse sse) {
        jobs.summary(id);
        long cursor = parse(lastEventId, after == null ? 0 : after);
        // The first write (the response head) happens here, before the follower thread writes anything, so the two
        // never race to start the response.
        sink.send(sse.newEventBuilder().comment("job " + id).build())
                .toCompletableFuture()
                .join();
        followers.submit(() -> {
            try (sink) {
                stream(id, cursor, sink, sse);
            } catch (ExecutionException | TimeoutException e) {
                LOG.debugf("log stream of job %d ended: the viewer went away (%s)", id, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warnf(e, "log stream of job %d failed", id);
            }
        });
    }

    private void stream(long id, long from, SseEventSink sink, Sse sse)
            throws InterruptedException, ExecutionException, TimeoutException {
        long cursor = from;
        long version = signals.version(id);
        long stepVersion = signals.stepVersion(id);
        long progressAt = System.nanoTime();
        send(
                sink,
                sse.newEventBuilder()
                        .name("progress")
                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(JobViews.JobDetail.class, detail(id))
                        .build());
        while (!sink.isClosed()) {
            List<LogLine> lines = logs.after(id, cursor, PAGE);
            // Sent back to back and awaited once per batch: waiting for every single line would make a busy
            // job's viewers fall behind.
            CompletionStage<?> last = null;
            for (LogLine line : lines) {
                last = sink.send(sse.newEventBuilder()
                        .id(Long.toString(line.seq()))
                        .name("line")
                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(LogLine.class, line)
                        .build());
                cursor = line.seq();
            }
            if (last != null) {
                last.toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            if (lines.size() == PAGE) {
                continue;
            }
            // While this instance writes the job's log the job is running: no need to ask the database.
            JobViews.JobSummary job =
                    logs.isOpen(id) ? null : QuarkusTransaction.requiringNew().call(() -> jobs.summary(id));
            if (job != null && job.finished() && logs.after(id, cursor, 1).isEmpty()) {
                send(
                        sink,
                        sse.newEventBuilder()
                                .name("progress")
                                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                                .data(JobViews.JobDetail.class, detail(id))
                                .build());
                send(
                        sink,
                        sse.newEventBuilder()
                                .name("end")
                                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                                .data(
                                        Map.class,
                                        Map.of("status", job.status(), "error", job.error() == null ? "" : job.error()))
                                .build());
                return;
            }
            long seen = version;
            long sinceProgress = (System.nanoTime() - progressAt) / 1_000_000;
            boolean owed = signals.stepVersion(id) != stepVersion;
            version =
                    signals.await(id, version, owed ? Math.max(1, PROGRESS_MILLIS - sinceProgress) : KEEPALIVE_MILLIS);
            long steps = signals.stepVersion(id);
            if (steps != stepVersion && System.nanoTime() - progressAt >= PROGRESS_MILLIS * 1_000_000) {
                stepVersion = steps;
                progressAt = System.nanoTime();
                send(
                        sink,
                        sse.newEventBuilder()
                                .name("progress")
                                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                                .data(JobViews.JobDetail.class, detail(id))
                                .build());
            } else if (version == seen && steps == stepVersion) {
                send(sink, sse.newEventBuilder().comment("keepalive").build());
            }
        }
    }

    /** The follower thread has no request context: each read is its own short transaction. */
    private JobViews.JobDetail detail(long id) {
        return QuarkusTransaction.requiringNew().call(() -> jobs.detail(id));
    }

    private static void send(SseEventSink sink, OutboundSseEvent event)
            throws InterruptedException, ExecutionException, TimeoutException {
        sink.send(event).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static long parse(String lastEventId, long fallback) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
