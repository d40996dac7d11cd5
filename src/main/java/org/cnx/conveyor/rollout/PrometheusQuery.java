package org.cnx.conveyor.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An instant query against a Prometheus HTTP API ({@code GET /api/v1/query}), answered as the samples' values. */
public final class PrometheusQuery {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final String base;

    public PrometheusQuery(HttpClient http, String base) {
        this.http = http;
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The value of every sample the query returns (a scalar is one sample); empty when no series matches. */
    public List<Double> values(String query) throws IOException, InterruptedException {
        URI uri = URI.create(base + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200
                || !"success".equals(body.path("status").asText())) {
            throw new IOException("Prometheus answered " + response.statusCode() + ": "
                    + body.path("error").asText(response.body()));
        }
        return parse(body.path("data"));
    }

    static List<Double> parse(JsonNode data) throws IOException {
        List<Double> values = new ArrayList<>();
        switch (data.path("resultType").asText()) {
            case "vector" -> {
                for (JsonNode sample : data.path("result")) {
                    values.add(number(sample.path("value").path(1)));
                }
            }
            case "scalar" -> values.add(number(data.path("result").path(1)));
            default -> throw new IOException("expected a vector or a scalar, found " + data.path("resultType"));
        }
        return values;
    }

    private static double number(JsonNode value) throws IOException {
        try {
            return Double.parseDouble(value.asText());
        } catch (NumberFormatException e) {
            throw new IOException("not a number: " + value);
        }
    }
}
