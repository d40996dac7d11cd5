package org.cnx.conveyor.rollout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.cnx.conveyor.environment.definition.RolloutSpec.Canary;
import org.cnx.conveyor.environment.definition.RolloutSpec.Check;

/**
 * Watches a canary batch: every interval until the duration is over, each check is sampled (an HTTP GET that must
 * answer 2xx, a Prometheus query whose every value must lie within its bounds); the first failing sample ends it.
 */
public final class CanaryAnalysis {

    /** One evaluation of one check. */
    public record Sample(int round, int rounds, Check check, boolean passed, String observed) {

        /** The line the job log shows. */
        public String describe() {
            return "canary sample " + round + "/" + rounds + ": " + check.describe() + " -> " + observed
                    + (passed ? " (pass)" : " (FAIL)");
        }
    }

    /** Receives each sample as it is taken, to show it live. */
    @FunctionalInterface
    public interface SampleSink {
        void accept(Sample sample);
    }

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    private final Canary canary;
    private final HttpClient http;

    public CanaryAnalysis(Canary canary) {
        this.canary = canary;
        this.http = HttpClient.newBuilder()
                .connectTimeout(HTTP_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** How many rounds of samples the canary gets: one per interval over the duration, at least one. */
    public int rounds() {
        return (int) Math.max(
                1, canary.duration().toMillis() / Math.max(1, canary.interval().toMillis()));
    }

    /** Runs the analysis; empty when every sample passed, else why the canary failed. Stops early when cancelled. */
    public Optional<String> run(SampleSink sink, BooleanSupplier cancelled) {
        int rounds = rounds();
        for (int round = 1; round <= rounds; round++) {
            if (!pause(canary.interval()) || cancelled.getAsBoolean()) {
                return Optional.of("cancelled during the canary analysis");
            }
            for (Check check : canary.checks()) {
                Sample sample = sample(round, rounds, check);
                sink.accept(sample);
                if (!sample.passed()) {
                    return Optional.of("canary analysis failed: " + check.describe() + " -> " + sample.observed());
                }
            }
        }
        return Optional.empty();
    }

    Sample sample(int round, int rounds, Check check) {
        try {
            if (check.http().isPresent()) {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create(check.http().get()))
                                .timeout(HTTP_TIMEOUT)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                return new Sample(round, rounds, check, status >= 200 && status < 300, "HTTP " + status);
            }
            List<Double> values = new PrometheusQuery(http, canary.prometheus().orElseThrow())
                    .values(check.query().orElseThrow());
            boolean passed = values.stream().allMatch(v -> within(check, v));
            return new Sample(round, rounds, check, passed, values.isEmpty() ? "no samples" : values.toString());
        } catch (IOException e) {
            return new Sample(round, rounds, check, false, "error: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sample(round, rounds, check, false, "interrupted");
        }
    }

    private static boolean within(Check check, double value) {
        return !Double.isNaN(value)
                && check.min().map(min -> value >= min).orElse(true)
                && check.max().map(max -> value <= max).orElse(true);
    }

    private static boolean pause(Duration interval) {
        try {
            TimeUnit.MILLISECONDS.sleep(interval.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
