package org.cnx.conveyor.events;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Executors;
import org.cnx.conveyor.common.Daemons;
import org.cnx.conveyor.outbound.AddressRule;

/** Makes one signed webhook POST and reports what happened; never throws for what a subscriber does. */
@ApplicationScoped
public class WebhookSender {

    private static final int EXCERPT_BYTES = 1024;
    static final String ALLOW_LIST = "conveyor.events.webhooks.allowed-hosts";

    /** One attempt: when, the HTTP status (null when none came), the start of the answer, how long it took. */
    public record Outcome(Instant at, Integer statusCode, String excerpt, long latencyMillis, String error) {
        public boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    private final EventsConfig.Webhooks config;
    private final HttpClient client;
    private final AddressRule rule;

    WebhookSender(EventsConfig config) {
        this.config = config.webhooks();
        this.rule = new AddressRule(this.config.allowedHosts(), ALLOW_LIST);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(this.config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newCachedThreadPool(Daemons.named("webhook-http")))
                .build();
    }

    /** Refuses a subscriber URL whose host the address rules forbid. */
    void checkAddress(String host) throws AddressRule.Refused {
        rule.check(host);
    }

    public Outcome send(String url, String secret, String deliveryId, String eventId, String body) {
        Instant at = Instant.now();
        long started = System.nanoTime();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(config.timeout())
                    .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                    .header("User-Agent", "Conveyor")
                    .header("Conveyor-Delivery", deliveryId)
                    .header("Conveyor-Event-Id", eventId)
                    .header(Signature.HEADER, Signature.header(secret, at.getEpochSecond(), body))
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
        } catch (IllegalArgumentException e) {
            return new Outcome(at, null, null, 0, "invalid URL: " + e.getMessage());
        }
        return exchange(request);
    }

    /** Makes a chat channel's request, under the same address rules, timeouts and outcome as a webhook's. */
    public Outcome send(ChatRenderer.ChatRequest chat) {
        Instant at = Instant.now();
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(chat.uri())
                    .timeout(config.timeout())
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", "Conveyor")
                    .method(chat.method(), HttpRequest.BodyPublishers.ofString(chat.body(), StandardCharsets.UTF_8));
            chat.headers().forEach(builder::header);
            request = builder.build();
        } catch (IllegalArgumentException e) {
            return new Outcome(at, null, null, 0, "invalid request: " + e.getMessage());
        }
        return exchange(request);
    }

    private Outcome exchange(HttpRequest request) {
        Instant at = Instant.now();
        long started = System.nanoTime();
        try {
            // Checked at every attempt, not only when subscribing: a name may resolve elsewhere by now.
            rule.check(request.uri().getHost());
        } catch (AddressRule.Refused e) {
            return new Outcome(at, null, null, 0, "refused: " + e.getMessage());
        }
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String excerpt;
            try (InputStream in = response.body()) {
                excerpt = new String(in.readNBytes(EXCERPT_BYTES), StandardCharsets.UTF_8);
            }
            return new Outcome(at, response.statusCode(), excerpt, elapsed(started), null);
        } catch (HttpTimeoutException e) {
            return new Outcome(
                    at,
                    null,
                    null,
                    elapsed(started),
                    "timed out after " + config.timeout().toMillis() + " ms");
        } catch (IOException e) {
            return new Outcome(at, null, null, elapsed(started), describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(at, null, null, elapsed(started), "interrupted: Conveyor is stopping");
        }
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static String describe(IOException e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return message;
    }
}
