package org.cnx.conveyor.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A real Prometheus (the Debian package) with its own config, storage and free port, scraping targets every second. */
public final class Prometheus implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final Process process;

    private Prometheus(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts Prometheus scraping {@code host:port} targets under job {@code job}; returns once it is ready. */
    public static Prometheus start(Path dir, String job, String... targets) throws IOException {
        Files.createDirectories(dir);
        int port = Haproxy.freePort();
        StringBuilder config = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: %s
                    static_configs:
                      - targets:
                """.formatted(job));
        for (String target : targets) {
            config.append("          - \"").append(target).append("\"\n");
        }
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, config);
        Process process = new ProcessBuilder(
                        "prometheus",
                        "--config.file=" + file,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        Prometheus prometheus = new Prometheus(dir, port, process);
        Wait.until("Prometheus to be ready on " + port, Duration.ofMinutes(1), prometheus::ready);
        return prometheus;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new AssertionError("prometheus exited: " + log());
        }
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True once a query returns at least one series: the targets have been scraped. */
    public boolean hasSeries(String query) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url() + "/api/v1/query?query="
                                            + java.net.URLEncoder.encode(
                                                    query, java.nio.charset.StandardCharsets.UTF_8)))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.body().contains("\"value\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
