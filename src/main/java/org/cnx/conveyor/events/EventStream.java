package org.cnx.conveyor.events;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.cnx.conveyor.common.Daemons;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.Role;
import org.jboss.logging.Logger;

/**
 * {@code GET /api/events/stream}: the outbox as Server-Sent Events, each event's id its seq. A client reconnecting
 * with {@code Last-Event-ID} (or {@code ?after=}) gets every retained event after that one exactly once, then
 * follows; without either it follows from now on.
 */
@Path("/api/events/stream")
class EventStream {

    private static final Logger LOG = Logger.getLogger(EventStream.class);
    private static final int PAGE = 500;
    private static final long KEEPALIVE_MILLIS = 15_000;

    private final EventsConfig config;
    private final EventSignals signals;
    private final ExecutorService followers = Executors.newCachedThreadPool(Daemons.named("event-stream"));

    EventStream(EventsConfig config, EventSignals signals) {
        this.config = config;
        this.signals = signals;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed({Role.REVIEWER_NAME, Role.SERVICE_NAME})
    public void follow(
            @QueryParam("type") String type,
            @QueryParam("environment") String environment,
            @QueryParam("after") Long after,
            @HeaderParam("Last-Event-ID") String lastEventId,
            @Context SseEventSink sink,
            @Context Sse sse) {
        EventFilter filter = EventFilter.parse(type, environment);
        filter.invalidPattern().ifPresent(p -> {
            throw new Invalid("type: \"" + p + "\" is not a type pattern; expected e.g. deploy.* or deploy.failed");
        });
        long cursor = parse(lastEventId)
                .orElse(
                        after != null
                                ? after
                                : QuarkusTransaction.requiringNew().call(StoredEvent::lastSeq));
        // The response head is written here, before the follower thread writes anything.
        sink.send(sse.newEventBuilder().comment("events after " + cursor).build())
                .toCompletableFuture()
                .join();
        followers.submit(() -> {
            try (sink) {
                stream(cursor, filter, sink, sse);
            } catch (ExecutionException | TimeoutException e) {
                LOG.debugf("event stream ended: the client went away (%s)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("event stream failed", e);
            }
        });
    }

    private void stream(long from, EventFilter filter, SseEventSink sink, Sse sse)
            throws InterruptedException, ExecutionException, TimeoutException {
        long cursor = from;
        long idleSince = System.currentTimeMillis();
        while (!sink.isClosed()) {
            long version = signals.version();
            long after = cursor;
            EventQueries.Scan<StoredEvent> scan =
                    QuarkusTransaction.requiringNew().call(() -> EventQueries.scan(after, filter, PAGE));
            CompletionStage<?> last = null;
            for (StoredEvent event : scan.events()) {
                last = sink.send(sse.newEventBuilder()
                        .id(Long.toString(event.seq))
                        .name("event")
                        .mediaType(MediaType.TEXT_PLAIN_TYPE)
                        .data(event.body)
                        .build());
            }
            cursor = scan.scannedTo();
            if (last != null) {
                last.toCompletableFuture().get(30, TimeUnit.SECONDS);
                idleSince = System.currentTimeMillis();
            }
            if (scan.events().size() == PAGE) {
                continue;
            }
            signals.await(version, config.poll().toMillis());
            if (System.currentTimeMillis() - idleSince > KEEPALIVE_MILLIS) {
                sink.send(sse.newEventBuilder().comment("keepalive").build())
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                idleSince = System.currentTimeMillis();
            }
        }
    }

    private static Optional<Long> parse(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(lastEventId.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
