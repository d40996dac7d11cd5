package org.cnx.conveyor.preview;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the GitHub REST API at {@code conveyor.github.api-url} (port 18931 in tests): records every commit
 * status it receives, and can be made to fail the next requests, as GitHub does when it is down.
 */
final class RecordingGitHub implements AutoCloseable {

    static final int PORT = 18931;

    /** One received {@code POST /repos/{owner}/{repo}/statuses/{sha}}. */
    record Status(
            String path, String authorization, String state, String targetUrl, String description, String context) {
        String sha() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    private final List<Status> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private final HttpServer server;

    RecordingGitHub() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/repos/", this::handle);
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.start();
    }

    List<Status> received() {
        return List.copyOf(received);
    }

    List<Status> forCommit(String sha) {
        return received.stream().filter(s -> s.sha().equals(sha)).toList();
    }

    /** The next {@code count} requests are answered 502. */
    void failNext(int count) {
        failNext.set(count);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int status;
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            status = 502;
        } else if (!exchange.getRequestMethod().equals("POST")
                || !exchange.getRequestURI().getPath().contains("/statuses/")) {
            status = 404;
        } else {
            JsonPath json = JsonPath.from(body);
            received.add(new Status(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    json.getString("state"),
                    json.getString("target_url"),
                    json.getString("description"),
                    json.getString("context")));
            status = 201;
        }
        byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
