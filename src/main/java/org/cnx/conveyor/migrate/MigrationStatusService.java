package org.cnx.conveyor.migrate;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.migrate.EnvironmentDatabases.OpenDatabase;
import org.cnx.conveyor.migrate.MigrationViews.MigrationRow;
import org.cnx.conveyor.migrate.MigrationViews.MigrationStatus;
import org.cnx.conveyor.migrate.MigrationViews.RunRow;
import org.cnx.conveyor.migrate.engine.AppliedMigration;
import org.cnx.conveyor.migrate.engine.MigrationEngine;
import org.cnx.conveyor.migrate.engine.MigrationPlan;
import org.cnx.conveyor.migrate.engine.MigrationScript;
import org.cnx.conveyor.migrate.engine.MigrationSet;
import org.cnx.conveyor.migrate.engine.Migrator;
import org.flywaydb.core.api.MigrationVersion;

/** Per environment: each migration of the live release and of the database's history, and what state it is in. */
@ApplicationScoped
public class MigrationStatusService {

    private final EnvironmentService environments;
    private final MigrationSets sets;
    private final EnvironmentDatabases databases;
    private final MigrationRecords records;
    private final MigrationEngines engines;

    MigrationStatusService(
            EnvironmentService environments,
            MigrationSets sets,
            EnvironmentDatabases databases,
            MigrationRecords records,
            MigrationEngines engines) {
        this.engines = engines;
        this.environments = environments;
        this.sets = sets;
        this.databases = databases;
        this.records = records;
    }

    public MigrationStatus status(String environment) {
        Environment env = environments.byName(environment);
        EnvironmentDefinition definition = environments.definition(environment);
        List<RunRow> recent =
                records.recent(env.id, 50).stream().map(RunRow::of).toList();
        Optional<ReleaseMigrations> live = Optional.empty();
        String error = null;
        try {
            live = sets.live(env, definition);
        } catch (MigrationSets.Unreadable e) {
            error = e.getMessage();
        }
        MigrationSet set = live.map(ReleaseMigrations::set).orElse(MigrationSet.empty());
        if (definition.database().isEmpty()) {
            return new MigrationStatus(
                    environment,
                    null,
                    "environment defines no database",
                    env.currentReleaseId,
                    null,
                    null,
                    List.of(),
                    recent);
        }
        Optional<String> unseeded = databases.awaitingSeed(definition);
        if (unseeded.isPresent()) {
            return new MigrationStatus(
                    environment,
                    null,
                    unseeded.get(),
                    env.currentReleaseId,
                    live.map(ReleaseMigrations::component).orElse(null),
                    live.map(ReleaseMigrations::version).orElse(null),
                    List.of(),
                    recent);
        }
        try (OpenDatabase db = databases.open(definition);
                MigrationEngine migrator = engines.reading(definition, db, "status")) {
            List<MigrationRow> rows = rows(env.id, set, migrator);
            return new MigrationStatus(
                    environment,
                    db.description(),
                    error,
                    env.currentReleaseId,
                    live.map(ReleaseMigrations::component).orElse(null),
                    live.map(ReleaseMigrations::version).orElse(null),
                    rows,
                    recent);
        } catch (EnvironmentDatabases.Unreachable | SQLException e) {
            return new MigrationStatus(
                    environment,
                    null,
                    e.getMessage(),
                    env.currentReleaseId,
                    live.map(ReleaseMigrations::component).orElse(null),
                    live.map(ReleaseMigrations::version).orElse(null),
                    List.of(),
                    recent);
        }
    }

    private List<MigrationRow> rows(long environmentId, MigrationSet set, MigrationEngine migrator)
            throws SQLException {
        MigrationPlan plan = migrator.plan(set, v -> Optional.empty());
        List<AppliedMigration> history = migrator.history();
        Map<String, String> changed = plan.problems().stream()
                .filter(p -> p.contains(" was changed after"))
                .collect(Collectors.toMap(p -> p.substring(0, p.indexOf(' ')), Function.identity(), (a, b) -> a));
        List<MigrationRow> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (AppliedMigration row : history) {
            Optional<MigrationScript> script = row.version() == null ? Optional.empty() : set.versioned(row.version());
            // db-migrator keeps its deferred migrations in the one history: they are told apart by the release's set.
            boolean deferred =
                    row.version() != null && set.deferred(row.version()).isPresent();
            String state = !row.success()
                    ? "failed"
                    : "BASELINE".equals(row.type())
                            ? "baseline"
                            : deferred
                                    ? "deferred-applied"
                                    : row.version() != null && script.isEmpty() ? "applied-not-in-release" : "applied";
            rows.add(applied(
                    environmentId,
                    deferred ? "deferred" : "versioned",
                    row,
                    state,
                    script.or(() -> set.deferred(row.version())),
                    changed.get(row.script())));
            if (row.version() != null) {
                seen.add(row.version());
            }
        }
        for (MigrationScript script :
                plan.pending().stream().filter(p -> !seen.contains(p.version())).toList()) {
            Optional<MigrationRun> failedLast =
                    records.lastApplied(environmentId, script.version()).isPresent()
                            ? Optional.empty()
                            : lastFailure(environmentId, script.fileName());
            rows.add(new MigrationRow(
                    script.kind().name().toLowerCase(Locale.ROOT),
                    script.version(),
                    script.description(),
                    script.fileName(),
                    failedLast.isPresent() ? "failed" : "pending",
                    null,
                    null,
                    failedLast.map(r -> r.jobId).orElse(null),
                    Migrator.checksum(script.sql()),
                    script.reversible(),
                    failedLast.map(r -> r.error).orElse(null)));
        }
        set.versioned().stream()
                .filter(s -> !seen.contains(s.version()) && !plan.pending().contains(s))
                .forEach(s -> rows.add(new MigrationRow(
                        "versioned",
                        s.version(),
                        s.description(),
                        s.fileName(),
                        "below-baseline",
                        null,
                        null,
                        null,
                        null,
                        s.reversible(),
                        null)));
        for (AppliedMigration row : migrator.deferredHistory()) {
            if (!"BASELINE".equals(row.type())) {
                rows.add(applied(
                        environmentId,
                        "deferred",
                        row,
                        row.success() ? "deferred-applied" : "failed",
                        Optional.empty(),
                        changed.get("deferred/" + row.script())));
            }
        }
        for (MigrationScript script : plan.deferredPending().stream()
                .filter(p -> !seen.contains(p.version()))
                .toList()) {
            Optional<MigrationRun> failed = lastFailure(environmentId, script.path());
            rows.add(new MigrationRow(
                    "deferred",
                    script.version(),
                    script.description(),
                    script.path(),
                    failed.isPresent() ? "failed" : "deferred-pending",
                    null,
                    null,
                    failed.map(r -> r.jobId).orElse(null),
                    Migrator.checksum(script.sql()),
                    false,
                    failed.map(r -> r.error).orElse(null)));
        }
        rows.sort((a, b) -> compare(a.version(), b.version()));
        return rows;
    }

    private MigrationRow applied(
            long environmentId,
            String kind,
            AppliedMigration row,
            String state,
            Optional<MigrationScript> script,
            String problem) {
        Optional<MigrationRun> run =
                row.version() == null ? Optional.empty() : records.lastApplied(environmentId, row.version());
        boolean reversible = script.map(MigrationScript::reversible)
                .orElse(run.map(r -> r.undoSql != null).orElse(row.version() == null));
        return new MigrationRow(
                row.version() == null ? "repeatable" : kind,
                row.version(),
                row.description(),
                row.script(),
                state,
                row.installedOn(),
                row.installedBy(),
                run.map(r -> r.jobId).orElse(null),
                row.checksum(),
                reversible,
                problem);
    }

    private Optional<MigrationRun> lastFailure(long environmentId, String script) {
        return MigrationRun.<MigrationRun>find(
                        "environmentId = ?1 AND script = ?2 ORDER BY id DESC", environmentId, script)
                .firstResultOptional()
                .filter(r -> r.action() == MigrationRun.Action.FAILED);
    }

    private static int compare(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        return MigrationVersion.fromVersion(a).compareTo(MigrationVersion.fromVersion(b));
    }
}
