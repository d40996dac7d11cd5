package org.cnx.conveyor.dora;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.cnx.conveyor.dora.DoraFigures.Figures;

/**
 * The DORA figures of the last 30 days per stage as Prometheus gauges ({@code conveyor_dora_…{stage="…"}} on
 * {@code /q/metrics}), recomputed every minute rather than at each scrape. A figure without data (no deploy, no
 * incident) is NaN, which Prometheus shows as no value.
 */
@ApplicationScoped
class DoraMetrics {

    private final DoraService dora;
    private final MeterRegistry registry;
    private final Map<String, Figures> latest = new ConcurrentHashMap<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    DoraMetrics(DoraService dora, MeterRegistry registry) {
        this.dora = dora;
        this.registry = registry;
    }

    @Scheduled(every = "1m", delay = 5, delayUnit = java.util.concurrent.TimeUnit.SECONDS)
    void refresh() {
        for (Figures figures : dora.lastDays(30).stages()) {
            latest.put(figures.name(), figures);
            if (registered.add(figures.name())) {
                register(figures.name());
            }
        }
    }

    private void register(String stage) {
        gauge(
                "conveyor.dora.deployments.per.day",
                "Successful deploys per day, last 30 days",
                stage,
                f -> f.deploymentsPerDay());
        gauge(
                "conveyor.dora.lead.time.seconds",
                "Median time from release to live, last 30 days",
                stage,
                f -> f.leadTimeMedianSeconds() == null ? Double.NaN : f.leadTimeMedianSeconds());
        gauge(
                "conveyor.dora.change.failure.rate",
                "Share of deploys that failed or were rolled back",
                stage,
                f -> f.changeFailureRate() == null ? Double.NaN : f.changeFailureRate());
        gauge(
                "conveyor.dora.time.to.restore.seconds",
                "Median time to restore after a failed change",
                stage,
                f -> f.timeToRestoreMedianSeconds() == null ? Double.NaN : f.timeToRestoreMedianSeconds());
    }

    private void gauge(String name, String description, String stage, ToDoubleFunction<Figures> value) {
        Gauge.builder(name, latest, figures -> {
                    Figures f = figures.get(stage);
                    return f == null ? Double.NaN : value.applyAsDouble(f);
                })
                .description(description)
                .tag("stage", stage)
                .register(registry);
    }
}
