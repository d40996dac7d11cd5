package org.cnx.conveyor.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.cnx.conveyor.events.Signature;

/**
 * A webhook receiver as a cnx service would write one: checks {@code Conveyor-Signature} (HMAC and timestamp
 * tolerance) before believing a body, and records what it accepted. Can be stopped and started on the same port,
 * made to answer slowly, or to fail.
 */
public final class Subscriber implements AutoCloseable {

    /** One accepted delivery. */
    public record Received(String eventId, String type, String body, String signatureHeader, Instant at) {}

    private final String secret;
    private final Duration tolerance;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int port;
    private volatile Duration delay = Duration.ZERO;
    private volatile int answer = 200;
    private final Map<String, Integer> failOnce = new ConcurrentHashMap<>();
    private HttpServer server;

    public Subscriber(String secret) {
        this(secret, Duration.ofMinutes(5));
    }

    public Subscriber(String secret, Duration tolerance) {
        this.secret = secret;
        this.tolerance = tolerance;
    }

    /** Starts listening (on the same port as before after a {@link #stop()}). */
    public synchronized Subscriber start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        port = server.getAddress().getPort();
        return this;
    }

    /** Stops listening: connections are refused, as when a service is down. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    public void answerSlowly(Duration delay) {
        this.delay = delay;
    }

    /** The status answered to valid deliveries (a 5xx makes Conveyor retry). */
    public void answer(int status) {
        this.answer = status;
    }

    /** Answers the first delivery of that event with {@code status} (and does not take it); later ones as usual. */
    public void failOnce(String eventId, int status) {
        failOnce.put(eventId, status);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<String> receivedIds() {
        return received.stream().map(Received::eventId).toList();
    }

    public int rejected() {
        return rejected.get();
    }

    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String header = exchange.getRequestHeaders().getFirst(Signature.HEADER);
        int status;
        if (!verify(header, body, secret, tolerance, Instant.now())) {
            rejected.incrementAndGet();
            status = 400;
        } else if (failOnce.containsKey(JsonPath.from(body).getString("id"))) {
            status = failOnce.remove(JsonPath.from(body).getString("id"));
        } else if (answer >= 200 && answer < 300) {
            sleep(delay);
            JsonPath event = JsonPath.from(body);
            received.add(new Received(event.getString("id"), event.getString("type"), body, header, Instant.now()));
            status = answer;
        } else {
            status = answer;
        }
        byte[] reply = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    /** The receiver's check, as docs/events.md shows it: a valid HMAC over "t.body" and a recent t. */
    public static boolean verify(String header, String body, String secret, Duration tolerance, Instant now) {
        if (header == null) {
            return false;
        }
        String t = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals("t")) {
                t = kv[1];
            } else if (kv.length == 2 && kv[0].equals("v1")) {
                signatures.add(kv[1]);
            }
        }
        if (t == null || signatures.isEmpty()) {
            return false;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(t);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = Signature.hmac(secret, t + "." + body).getBytes(StandardCharsets.UTF_8);
        return signatures.stream().anyMatch(s -> MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.UTF_8)));
    }

    private static void sleep(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            // Simulates a subscriber that takes its time to answer.
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
