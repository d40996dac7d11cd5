package org.cnx.conveyor.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat server stand-in (a Slack incoming webhook, a Matrix homeserver) on a free local port: records every request
 * it gets (method, decoded path, Authorization header, body) and answers with the status it is told to.
 */
public final class RecordingChat implements AutoCloseable {

    /** One request as received. */
    public record Request(String method, String path, String authorization, String contentType, String body) {}

    private final List<Request> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int answer = 200;
    private final HttpServer server;

    public RecordingChat() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The status answered from now on; a 2xx request is recorded as accepted. */
    public void answer(int status) {
        this.answer = status;
    }

    /** The requests answered with a 2xx, in the order they came. */
    public List<Request> accepted() {
        return List.copyOf(accepted);
    }

    /** Every request, whatever it was answered. */
    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int status = answer;
        if (status >= 200 && status < 300) {
            accepted.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    body));
        }
        // Slack answers "ok"; Matrix the new event's id.
        byte[] reply = (status < 300 ? "{\"event_id\":\"$recorded\"}" : "{\"error\":\"bad gateway\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
