package org.cnx.conveyor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** Calls Conveyor's JSON API with the user's token; a refusal becomes an {@link ApiError} with the problem's detail. */
final class ApiClient {

    /** Conveyor answered with an error: the status and what its problem detail says. */
    static final class ApiError extends Exception {
        final int status;

        ApiError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build();

    ApiClient(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    JsonNode get(String path) throws IOException, ApiError {
        return send(request(path).GET(), path);
    }

    JsonNode post(String path, Object body) throws IOException, ApiError {
        return send(
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
                path);
    }

    String text(String path) throws IOException, ApiError {
        HttpResponse<String> response = exchange(request(path).GET(), HttpResponse.BodyHandlers.ofString(), path);
        check(response.statusCode(), response.body());
        return response.body();
    }

    /** True when Conveyor has the artifact with this checksum. */
    boolean hasArtifact(String sha256) throws IOException, ApiError {
        HttpResponse<Void> response = exchange(
                request("/api/artifacts/" + sha256).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.discarding(),
                "/api/artifacts/" + sha256);
        if (response.statusCode() == 404) {
            return false;
        }
        check(response.statusCode(), "");
        return true;
    }

    /** Streams the file to Conveyor under its checksum. */
    JsonNode upload(String sha256, Path file) throws IOException, ApiError {
        return send(
                request("/api/artifacts/" + sha256)
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofFile(file)),
                "/api/artifacts/" + sha256);
    }

    /** The live log of a job as Server-Sent Events. */
    InputStream events(String path) throws IOException, ApiError {
        HttpResponse<InputStream> response = exchange(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "text/event-stream")
                        .GET(),
                HttpResponse.BodyHandlers.ofInputStream(),
                path);
        if (response.statusCode() >= 300) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            check(response.statusCode(), body);
        }
        return response.body();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(30));
        if (!path.endsWith(".txt")) {
            builder.header("Accept", "application/json");
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private JsonNode send(HttpRequest.Builder request, String path) throws IOException, ApiError {
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString(), path);
        check(response.statusCode(), response.body());
        return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler, String path)
            throws IOException {
        try {
            return http.send(request.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new IOException("cannot reach Conveyor at " + base + path + ": " + why, e);
        }
    }

    private static void check(int status, String body) throws ApiError {
        if (status < 300) {
            return;
        }
        String detail = body;
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem != null && problem.has("detail")) {
                detail = problem.path("title").asText("Error") + ": "
                        + problem.get("detail").asText();
            }
        } catch (IOException e) {
            // Not a problem detail: the body itself is the message.
        }
        if (status == 401) {
            detail = "not logged in, or the token is no longer valid: run conveyor login";
        }
        throw new ApiError(status, "HTTP " + status + " " + (detail == null ? "" : detail.strip()));
    }
}
