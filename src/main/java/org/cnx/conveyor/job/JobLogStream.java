package org.cnx.conveyor.job;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /api/jobs/{id}/log}: the job's log as Server-Sent Events. Each line's event id is its sequence number,
 * so a client reconnecting with {@code Last-Event-ID} continues with no gap and no duplicate; {@code progress}
 * events carry the phase × host grid; an {@code end} event with the final status closes the stream.
 *
 * <p>The stream is pulled: the next batch is read only when the client has taken the previous one, so a slow browser
 * never makes Conveyor buffer a long log. Batches are read on a pool of follower threads because waiting for new
 * lines blocks; every database read there runs in its own short transaction, so a job's status is never stale.
 */
// The class path is /api, like JobResource's: a longer class path would capture /api/jobs/{id}/log/lines too and
// answer it with 404, because a request is matched to one resource class before its methods are looked at.
@Path("/api")
class JobLogStream {

    private static final int PAGE = 1000;
    private static final long KEEPALIVE_MILLIS = 15_000;

    private final JobService jobs;
    private final JobLogStore logs;
    private final JobSignals signals;
    private final ExecutorService followers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "job-log-follower");
        thread.setDaemon(true);
        return thread;
    });

    JobLogStream(JobService jobs, JobLogStore logs, JobSignals signals) {
        this.jobs = jobs;
        this.logs = logs;
        this.signals = signals;
    }

    @GET
    @Path("jobs/{id}/log")
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> follow(long id, @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("after") Long after, @Context Sse sse) {
        jobs.summary(id);
        Follower follower = new Follower(id, parse(lastEventId, after == null ? 0 : after), sse);
        return Multi.createBy().repeating()
                .uni(() -> Uni.createFrom().item(follower::next).runSubscriptionOn(followers))
                .until(batch -> batch == Follower.DONE)
                .onItem().transformToIterable(batch -> batch);
    }

    /** One client's position in one job's log. */
    private final class Follower {
        /** Returned once the end event went out: stops the stream. */
        static final List<OutboundSseEvent> DONE = java.util.Collections.unmodifiableList(new ArrayList<>());

        private final long id;
        private final Sse sse;
        private long cursor;
        private long version;
        private long stepVersion;
        private boolean started;
        private boolean ended;

        Follower(long id, long cursor, Sse sse) {
            this.id = id;
            this.cursor = cursor;
            this.sse = sse;
        }

        /** The next events: lines if there are any, otherwise what changed while waiting (or a keepalive). */
        List<OutboundSseEvent> next() {
            if (ended) {
                return DONE;
            }
            List<OutboundSseEvent> events = new ArrayList<>();
            if (!started) {
                started = true;
                version = signals.version(id);
                stepVersion = signals.stepVersion(id);
                events.add(progress());
            }
            List<LogLine> lines = logs.after(id, cursor, PAGE);
            for (LogLine line : lines) {
                events.add(sse.newEventBuilder().id(Long.toString(line.seq())).name("line")
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(LogLine.class, line).build());
                cursor = line.seq();
            }
            if (!events.isEmpty()) {
                return events;
            }
            JobViews.JobSummary job = read(() -> jobs.summary(id));
            if (job.finished() && !logs.isOpen(id) && logs.after(id, cursor, 1).isEmpty()) {
                ended = true;
                events.add(progress());
                events.add(sse.newEventBuilder().name("end").mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(Map.class, Map.of("status", job.status(), "error", job.error() == null ? "" : job.error())).build());
                return events;
            }
            long seen = version;
            try {
                version = signals.await(id, version, KEEPALIVE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // shutting down: end this stream; the browser reconnects elsewhere
                return DONE;
            }
            if (version == seen) {
                events.add(sse.newEventBuilder().comment("keepalive").build());
            } else if (signals.stepVersion(id) != stepVersion) {
                stepVersion = signals.stepVersion(id);
                events.add(progress());
            }
            return events;
        }

        private OutboundSseEvent progress() {
            return sse.newEventBuilder().name("progress").mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(JobViews.JobDetail.class, read(() -> jobs.detail(id))).build();
        }
    }

    private static <T> T read(java.util.function.Supplier<T> query) {
        return QuarkusTransaction.requiringNew().call(query::get);
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
