package org.cnx.conveyor.migrate;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.cnx.conveyor.cluster.OnceAcrossInstances;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentSummary;
import org.cnx.conveyor.migrate.MigrationViews.DriftReport;
import org.jboss.logging.Logger;

/** Checks every environment that has a database for drift, every {@code conveyor.migrations.drift-schedule}. */
@ApplicationScoped
class DriftSchedule {

    private static final Logger LOG = Logger.getLogger(DriftSchedule.class);

    private final EnvironmentService environments;
    private final DriftService drift;

    DriftSchedule(EnvironmentService environments, DriftService drift) {
        this.environments = environments;
        this.drift = drift;
    }

    @OnceAcrossInstances
    @Scheduled(
            identity = "drift-check",
            every = "${conveyor.migrations.drift-schedule}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkAll() {
        List<String> names = QuarkusTransaction.requiringNew()
                .call(() -> environments.list().stream()
                        .map(EnvironmentSummary::name)
                        .filter(name -> environments.definition(name).database().isPresent())
                        .toList());
        for (String name : names) {
            DriftReport report = drift.check(name, "conveyor (schedule)");
            if (report.error() != null) {
                LOG.warnf("Drift check of %s failed: %s", name, report.error());
            } else if (!report.clean()) {
                LOG.warnf(
                        "Drift in %s: %d object(s) only live, %d only from migrations, %d different",
                        name,
                        report.onlyLive().size(),
                        report.onlyReference().size(),
                        report.different().size());
            }
        }
    }
}
