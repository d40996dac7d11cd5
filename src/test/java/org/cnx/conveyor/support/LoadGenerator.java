package org.cnx.conveyor.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bounded load: a few threads sending GET requests one after the other until stopped, recording each answer's
 * server ({@code X-Server}) and release ({@code "release": "N"} in the body), and every failure.
 */
public final class LoadGenerator implements AutoCloseable {

    private static final Pattern RELEASE = Pattern.compile("\"release\": \"([^\"]*)\"");

    /** One answered request. */
    public record Answer(long receivedNanos, String server, String release) {}

    private final String url;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());

    private LoadGenerator(String url) {
        this.url = url;
    }

    public static LoadGenerator start(String url, int threads) {
        LoadGenerator load = new LoadGenerator(url);
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(load::loop, "load-" + i);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void loop() {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        while (running.get()) {
            long start = System.nanoTime();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                latenciesMicros.add((System.nanoTime() - start) / 1000);
                Matcher release = RELEASE.matcher(response.body());
                if (response.statusCode() != 200) {
                    failures.add("HTTP " + response.statusCode() + " from "
                            + response.headers().firstValue("X-Server").orElse("?"));
                } else {
                    answers.add(new Answer(
                            System.nanoTime(),
                            response.headers().firstValue("X-Server").orElse("?"),
                            release.find() ? release.group(1) : "?"));
                }
            } catch (java.io.IOException e) {
                latenciesMicros.add((System.nanoTime() - start) / 1000);
                failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Waits until at least {@code count} more requests were answered or failed, so the load demonstrably ran. */
    public void awaitRequests(int count) {
        int target = total() + count;
        Wait.until(count + " more requests", Duration.ofMinutes(1), () -> total() >= target);
    }

    public int total() {
        return answers.size() + failures.size();
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** For each server, the releases it answered with, in order, consecutive repeats collapsed. */
    public Map<String, List<String>> releasesByServer() {
        Map<String, List<String>> byServer = new LinkedHashMap<>();
        List<Answer> inOrder;
        synchronized (answers) {
            inOrder = new ArrayList<>(answers);
        }
        inOrder.sort(java.util.Comparator.comparingLong(Answer::receivedNanos));
        {
            for (Answer answer : inOrder) {
                List<String> seen = byServer.computeIfAbsent(answer.server(), s -> new ArrayList<>());
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(answer.release())) {
                    seen.add(answer.release());
                }
            }
        }
        return byServer;
    }

    /** The 99th percentile latency in milliseconds. */
    public double p99Millis() {
        List<Long> sorted;
        synchronized (latenciesMicros) {
            sorted = new ArrayList<>(latenciesMicros);
        }
        if (sorted.isEmpty()) {
            return 0;
        }
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)) / 1000.0;
    }

    @Override
    public void close() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
