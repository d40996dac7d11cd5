package org.cnx.conveyor.events;

import io.netty.buffer.Unpooled;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cnx.conveyor.outbound.AddressRule;

/**
 * Sends a subscription's run of webhooks in order over its own keep-alive connection, HTTP/1.1-pipelined: up to
 * {@code pipelining} requests go out before their answers come back, so a run costs the subscriber's processing time
 * rather than a round trip per event. Each subscription has a client of its own with a single connection, so its
 * requests leave (and reach the subscriber) in the run's order.
 */
@ApplicationScoped
class PipelinedSender {

    private static final int EXCERPT_BYTES = 1024;
    private static final long IDLE_CLIENT_MILLIS = 60_000;

    /** A subscription's client, and when it last sent: an idle one is closed. */
    private static final class Client {
        final String origin;
        final HttpClient http;
        volatile long lastUsed = System.currentTimeMillis();

        Client(String origin, HttpClient http) {
            this.origin = origin;
            this.http = http;
        }
    }

    private final Vertx vertx;
    private final WebhookSender sender;
    private final EventsConfig.Webhooks config;
    private final Map<Long, Client> clients = new ConcurrentHashMap<>();
    private volatile long lastSweep = System.currentTimeMillis();

    PipelinedSender(Vertx vertx, WebhookSender sender, EventsConfig config) {
        this.vertx = vertx;
        this.sender = sender;
        this.config = config.webhooks();
    }

    void onStop(@Observes ShutdownEvent event) {
        clients.values().forEach(c -> c.http.close());
        clients.clear();
    }

    /**
     * Sends the run's webhooks and returns their outcomes in order, up to and including the first failure: what
     * was pipelined behind a failure is not reported (it is sent again once the failure is delivered).
     */
    List<WebhookSender.Outcome> send(long subscriptionId, List<NextDelivery> run) {
        Instant at = Instant.now();
        URI uri;
        try {
            uri = URI.create(run.get(0).url());
            // Checked at every run, not only when subscribing: a name may resolve elsewhere by now.
            sender.checkAddress(uri.getHost());
        } catch (IllegalArgumentException e) {
            return List.of(new WebhookSender.Outcome(at, null, null, 0, "invalid URL: " + e.getMessage()));
        } catch (AddressRule.Refused e) {
            return List.of(new WebhookSender.Outcome(at, null, null, 0, "refused: " + e.getMessage()));
        }
        Client client = client(subscriptionId, uri);
        // Set up once per run, not per delivery: the secret's keyed HMAC and where the requests go.
        Signature.Signer signer = Signature.signer(run.get(0).secret());
        Target target = Target.of(uri);
        RunOutcomes outcomes = new RunOutcomes(run.size());
        for (int i = 0; i < run.size(); i++) {
            int index = i;
            send(client.http, target, signer, run.get(i)).onSuccess(outcome -> outcomes.set(index, outcome));
        }
        long limit = config.timeout().plus(config.connectTimeout()).toMillis() + 1_000;
        List<WebhookSender.Outcome> answered =
                outcomes.await(limit, config.timeout().toMillis());
        client.lastUsed = System.currentTimeMillis();
        closeIdle();
        return answered;
    }

    /** Where a run's requests go, taken apart once from the subscription's URL (every delivery of a run has it). */
    private record Target(String host, int port, boolean ssl, String path) {

        static Target of(URI uri) {
            boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
            int port = uri.getPort() != -1 ? uri.getPort() : ssl ? 443 : 80;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return new Target(
                    uri.getHost(), port, ssl, uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
        }
    }

    private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("Content-Type");
    private static final CharSequence CLOUDEVENTS_JSON =
            HttpHeaders.createOptimized("application/cloudevents+json; charset=utf-8");
    private static final CharSequence USER_AGENT = HttpHeaders.createOptimized("User-Agent");
    private static final CharSequence CONVEYOR = HttpHeaders.createOptimized("Conveyor");
    private static final CharSequence DELIVERY = HttpHeaders.createOptimized("Conveyor-Delivery");
    private static final CharSequence EVENT_ID = HttpHeaders.createOptimized("Conveyor-Event-Id");
    private static final CharSequence SIGNATURE = HttpHeaders.createOptimized(Signature.HEADER);

    private Future<WebhookSender.Outcome> send(
            HttpClient http, Target target, Signature.Signer signer, NextDelivery next) {
        Instant at = Instant.now();
        long started = System.nanoTime();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.ssl())
                .setURI(target.path())
                .setFollowRedirects(false)
                .setIdleTimeout(config.timeout().toMillis())
                .putHeader(CONTENT_TYPE, CLOUDEVENTS_JSON)
                .putHeader(USER_AGENT, CONVEYOR)
                .putHeader(DELIVERY, Long.toString(next.deliveryId()))
                .putHeader(EVENT_ID, next.eventId())
                .putHeader(SIGNATURE, signer.header(at.getEpochSecond(), next.bytes()));
        // The event's bytes as every subscription shares them: wrapped, not copied.
        Buffer body = Buffer.buffer(Unpooled.wrappedBuffer(next.bytes()));
        return http.request(request)
                .compose(r -> r.send(body))
                .compose(PipelinedSender::excerpt)
                .map(answer -> new WebhookSender.Outcome(at, answer.status, answer.excerpt, elapsed(started), null))
                .otherwise(e -> new WebhookSender.Outcome(at, null, null, elapsed(started), describe(e)));
    }

    private record Answer(int status, String excerpt) {}

    /** The status and the first KiB of the answer; the rest is read and dropped. */
    private static Future<Answer> excerpt(HttpClientResponse response) {
        Promise<Answer> answer = Promise.promise();
        Buffer start = Buffer.buffer();
        try {
            response.handler(chunk -> {
                int room = EXCERPT_BYTES - start.length();
                if (room > 0) {
                    start.appendBuffer(chunk.length() <= room ? chunk : chunk.getBuffer(0, room));
                }
            });
            response.exceptionHandler(answer::tryFail);
            response.endHandler(
                    v -> answer.tryComplete(new Answer(response.statusCode(), start.toString(StandardCharsets.UTF_8))));
        } catch (IllegalStateException ended) {
            // A short answer can end before the handlers are set ("Response already ended"): it was answered, and its
            // status is what counts; without this it was taken for a failed attempt and retried a second later.
            answer.tryComplete(new Answer(response.statusCode(), start.toString(StandardCharsets.UTF_8)));
        }
        return answer.future();
    }

    private Client client(long subscriptionId, URI uri) {
        String origin = uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
        Client client = clients.get(subscriptionId);
        if (client != null && client.origin.equals(origin)) {
            client.lastUsed = System.currentTimeMillis();
            return client;
        }
        if (client != null) {
            client.http.close();
        }
        HttpClientOptions options = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setPipelining(config.pipelining() > 1)
                .setPipeliningLimit(Math.max(1, config.pipelining()))
                // One connection: the subscription's requests leave in the run's order.
                .setMaxPoolSize(1)
                .setMaxWaitQueueSize(-1)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAliveTimeout(60);
        Client created = new Client(origin, vertx.createHttpClient(options));
        clients.put(subscriptionId, created);
        return created;
    }

    /** Closes the clients of subscriptions that sent nothing for a minute (deleted, paused, or quiet). */
    private void closeIdle() {
        long now = System.currentTimeMillis();
        if (now - lastSweep < IDLE_CLIENT_MILLIS) {
            return;
        }
        lastSweep = now;
        clients.entrySet().removeIf(e -> {
            boolean idle = now - e.getValue().lastUsed > IDLE_CLIENT_MILLIS;
            if (idle) {
                e.getValue().http.close();
            }
            return idle;
        });
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return message;
    }
}
