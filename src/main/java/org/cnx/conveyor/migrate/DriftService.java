package org.cnx.conveyor.migrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.events.EventPublisher;
import org.cnx.conveyor.events.EventType;
import org.cnx.conveyor.migrate.EnvironmentDatabases.OpenDatabase;
import org.cnx.conveyor.migrate.MigrationViews.DriftItem;
import org.cnx.conveyor.migrate.MigrationViews.DriftReport;
import org.cnx.conveyor.migrate.engine.AppliedMigration;
import org.cnx.conveyor.migrate.engine.DbMigrator;
import org.cnx.conveyor.migrate.engine.Drift;
import org.cnx.conveyor.migrate.engine.MigrationEngine;
import org.cnx.conveyor.migrate.engine.MigrationScript;
import org.cnx.conveyor.migrate.engine.MigrationSet;
import org.cnx.conveyor.migrate.engine.Migrator;
import org.cnx.conveyor.migrate.engine.TargetDatabase;
import org.cnx.conveyor.migrate.schema.SchemaDiff;

/**
 * Compares an environment's live schema with the schema its applied migrations produce on a scratch database, and
 * keeps the latest result per environment.
 */
@ApplicationScoped
public class DriftService {

    private final EnvironmentService environments;
    private final MigrationSets sets;
    private final EnvironmentDatabases databases;
    private final MigrationRecords records;
    private final ConveyorServer server;
    private final MigrationEngines engines;
    private final ObjectMapper json;
    private final EventPublisher events;

    /** The payload of migration.drift_detected: counts and the first objects that differ. */
    public record DriftEvent(
            String environment,
            String checkedBy,
            int onlyLive,
            int onlyReference,
            int different,
            List<String> objects) {}

    DriftService(
            EnvironmentService environments,
            MigrationSets sets,
            EnvironmentDatabases databases,
            MigrationRecords records,
            ConveyorServer server,
            ObjectMapper json,
            EventPublisher events,
            MigrationEngines engines) {
        this.engines = engines;
        this.events = events;
        this.environments = environments;
        this.sets = sets;
        this.databases = databases;
        this.records = records;
        this.server = server;
        this.json = json;
    }

    /** Runs a check now and stores its result. */
    public DriftReport check(String environment, String by) {
        Environment env = QuarkusTransaction.requiringNew().call(() -> environments.byName(environment));
        EnvironmentDefinition definition =
                QuarkusTransaction.requiringNew().call(() -> environments.definition(environment));
        Optional<ReleaseMigrations> liveMigrations = liveMigrations(env, definition);
        MigrationSet live = liveMigrations.map(ReleaseMigrations::set).orElse(MigrationSet.empty());
        DriftReport report;
        try (OpenDatabase db = databases.open(definition);
                MigrationEngine engine = engines.reading(definition, db, "drift")) {
            TargetDatabase scratch = server.newScratch();
            try {
                Function<AppliedMigration, Optional<String>> scriptOf = row -> scriptOf(env.id, live, row);
                Drift.Result result;
                if (engine instanceof DbMigrator && liveMigrations.isPresent()) {
                    try (DbMigrator replaying = engines.replaying(definition, liveMigrations.get(), scratch)) {
                        result = Drift.check(engine, scratch, scriptOf, replaying.replay(), true);
                    }
                } else {
                    result = Drift.check(db.database(), scratch, scriptOf);
                }
                report = report(environment, by, result);
            } finally {
                server.dropScratch(scratch);
            }
        } catch (EnvironmentDatabases.Unreachable | SQLException | MigrationEngines.DriftUnavailable e) {
            report = new DriftReport(
                    environment,
                    Instant.now(),
                    by,
                    false,
                    0,
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    e.getMessage());
        }
        store(env.id, report);
        return report;
    }

    /** The latest stored check of the environment, if it was ever checked. */
    public Optional<DriftReport> latest(String environment) {
        return QuarkusTransaction.requiringNew()
                .call(() -> DriftCheck.latest(environments.byName(environment).id))
                .map(check -> read(check.report));
    }

    private Optional<ReleaseMigrations> liveMigrations(Environment env, EnvironmentDefinition definition) {
        try {
            return sets.live(env, definition);
        } catch (MigrationSets.Unreadable e) {
            return Optional.empty();
        }
    }

    /** The applied text: the live release's script with the applied checksum, else what Conveyor recorded when it applied it. */
    private Optional<String> scriptOf(long environmentId, MigrationSet live, AppliedMigration row) {
        Optional<String> matching = live.scriptFor(row)
                .filter(s -> row.checksum() == null || row.checksum() == Migrator.checksum(s.sql()))
                .map(MigrationScript::sql);
        if (matching.isPresent() || row.version() == null) {
            return matching;
        }
        return QuarkusTransaction.requiringNew()
                .call(() -> records.lastApplied(environmentId, row.version()))
                .map(run -> run.forwardSql);
    }

    private static DriftReport report(String environment, String by, Drift.Result result) {
        return new DriftReport(
                environment,
                Instant.now(),
                by,
                result.clean(),
                result.replayed(),
                items(result.diff().added()),
                items(result.diff().removed()),
                items(result.diff().changed()),
                result.notes(),
                null);
    }

    private static List<DriftItem> items(List<SchemaDiff.Change> changes) {
        // The diff runs from the reference (before) to the live schema (after).
        return changes.stream()
                .map(c -> new DriftItem(c.key(), c.after(), c.before()))
                .toList();
    }

    private void store(long environmentId, DriftReport report) {
        String text;
        try {
            text = json.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store the drift report", e);
        }
        QuarkusTransaction.requiringNew().run(() -> {
            DriftCheck check = new DriftCheck();
            check.environmentId = environmentId;
            check.checkedAt = report.checkedAt();
            check.checkedBy = report.checkedBy();
            check.clean = report.clean() && report.error() == null;
            check.report = text;
            check.persist();
            if (!check.clean && report.error() == null) {
                events.publish(
                        EventType.MIGRATION_DRIFT_DETECTED,
                        Subjects.environment(report.environment()),
                        report.environment(),
                        new DriftEvent(
                                report.environment(),
                                report.checkedBy(),
                                report.onlyLive().size(),
                                report.onlyReference().size(),
                                report.different().size(),
                                Stream.of(report.onlyLive(), report.onlyReference(), report.different())
                                        .flatMap(List::stream)
                                        .map(DriftItem::object)
                                        .limit(50)
                                        .toList()));
            }
        });
    }

    private DriftReport read(String text) {
        try {
            return json.readValue(text, DriftReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored drift report cannot be read", e);
        }
    }
}
