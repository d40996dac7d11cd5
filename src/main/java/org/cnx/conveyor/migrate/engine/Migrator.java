package org.cnx.conveyor.migrate.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cnx.conveyor.migrate.engine.MigrationPlan.Undo;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Runs a migration set against one database: forward with Flyway (each migration in its own transaction), undo and
 * re-apply with plain JDBC (script and history row in one transaction), status, repair and baseline.
 * Plain Java, so the server and the command line share it.
 */
public final class Migrator implements MigrationEngine {

    /** Flyway's default history table: versioned and repeatable migrations. */
    public static final String HISTORY = "flyway_schema_history";
    /** Deferred backfills keep their own history, so their versions never interleave with the deploy's. */
    public static final String DEFERRED_HISTORY = "conveyor_deferred_history";
    /** Every history table, db-migrator's too: left out of schema snapshots, since they are bookkeeping, not schema. */
    public static final Set<String> HISTORY_TABLES = Set.of(HISTORY, DEFERRED_HISTORY, DbMigrator.HISTORY);

    private final TargetDatabase db;
    private final String installedBy;
    private final Connections connections;

    public Migrator(TargetDatabase db, String installedBy) {
        this(db, installedBy, Connections.perStep(db));
    }

    private Migrator(TargetDatabase db, String installedBy, Connections connections) {
        this.db = db;
        this.installedBy = installedBy;
        this.connections = connections;
    }

    @Override
    public TargetDatabase database() {
        return db;
    }

    @Override
    public List<AppliedMigration> history() throws SQLException {
        return history(HISTORY);
    }

    @Override
    public List<AppliedMigration> deferredHistory() throws SQLException {
        return history(DEFERRED_HISTORY);
    }

    /** Flyway's checksum of a script's text (the one it stores in the history table). */
    public static int checksum(String sql) {
        return Checksums.of(sql);
    }

    /** The rows of a history table, oldest first; empty when the table does not exist yet. */
    public List<AppliedMigration> history(String table) throws SQLException {
        Connection c = connections.borrow();
        try {
            return history(c, table);
        } finally {
            connections.giveBack(c);
        }
    }

    static List<AppliedMigration> history(Connection c, String table) throws SQLException {
        if (!Schemas.tableExists(c, table)) {
            return List.of();
        }
        List<AppliedMigration> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT installed_rank, version, description, type,"
                        + " script, checksum, installed_by, installed_on, execution_time, success FROM " + table
                        + " ORDER BY installed_rank")) {
            while (rs.next()) {
                rows.add(new AppliedMigration(
                        rs.getInt(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        (Integer) rs.getObject(6),
                        rs.getString(7),
                        rs.getTimestamp(8).toInstant(),
                        rs.getInt(9),
                        rs.getBoolean(10)));
            }
        }
        return rows;
    }

    /**
     * What {@link #migrate} would do. {@code knownUndo} gives the undo script of an applied version that the set does
     * not contain (the server remembers them from when they were applied).
     */
    @Override
    public MigrationPlan plan(MigrationSet set, Function<String, Optional<String>> knownUndo) throws SQLException {
        List<AppliedMigration> rows = history(HISTORY);
        List<String> problems = new ArrayList<>(MigrationPlan.notRunProblems(set));
        if (rows.isEmpty()) {
            unknownHistory().ifPresent(problems::add);
        }
        rows.stream()
                .filter(r -> !r.success())
                .forEach(r -> problems.add("migration " + r.label() + " (" + r.script() + ") is recorded as failed in "
                        + HISTORY + "; repair it first (mark it not applied)"));
        Map<String, AppliedMigration> applied = rows.stream()
                .filter(r -> r.success() && r.isVersionedSql())
                .collect(Collectors.toMap(AppliedMigration::version, r -> r, (a, b) -> b));
        MigrationVersion baseline = rows.stream()
                .filter(r -> "BASELINE".equals(r.type()))
                .map(r -> MigrationVersion.fromVersion(r.version()))
                .max(Comparator.naturalOrder())
                .orElse(null);
        List<MigrationScript> pending = new ArrayList<>();
        for (MigrationScript script : set.versioned()) {
            AppliedMigration row = applied.get(script.version());
            if (row != null) {
                checkUnchanged(script, row, problems);
            } else if (baseline == null || script.flywayVersion().compareTo(baseline) > 0) {
                pending.add(script);
            }
        }
        for (MigrationScript script : set.repeatable()) {
            Optional<AppliedMigration> latest = rows.stream()
                    .filter(r -> r.success()
                            && r.version() == null
                            && script.description().equals(r.description()))
                    .reduce((a, b) -> b);
            if (latest.isEmpty()
                    || !Integer.valueOf(checksum(script.sql()))
                            .equals(latest.get().checksum())) {
                pending.add(script);
            }
        }
        List<Undo> undo = applied.values().stream()
                .filter(r -> set.versioned(r.version()).isEmpty())
                .sorted(Comparator.comparing((AppliedMigration r) -> MigrationVersion.fromVersion(r.version()))
                        .reversed())
                .map(r -> new Undo(r, knownUndo.apply(r.version()).orElse(null)))
                .toList();
        return new MigrationPlan(undo, pending, deferredPending(set, problems), problems);
    }

    /** A database with tables but no history: migrating it would fail half-way or, worse, succeed on the wrong base. */
    private Optional<String> unknownHistory() throws SQLException {
        Connection c = connections.borrow();
        try {
            if (Schemas.tableExists(c, HISTORY)) {
                return Optional.empty();
            }
            Optional<String> tables = Schemas.unmanagedTables(c);
            if (tables.isEmpty()) {
                return Optional.empty();
            }
            boolean dbMigrator = Schemas.tableExists(c, DbMigrator.HISTORY);
            return Optional.of(db.label() + " already has tables (" + tables.get() + ") but no " + HISTORY
                    + ": its migrations history is unknown. Baseline it first (the Migrations page's Baseline, or"
                    + " conveyor-migrate baseline)"
                    + (dbMigrator
                            ? "; it has db-migrator's " + DbMigrator.HISTORY
                                    + ", so a baseline from it records exactly the versions that ran"
                            : ""));
        } finally {
            connections.giveBack(c);
        }
    }

    private List<MigrationScript> deferredPending(MigrationSet set, List<String> problems) throws SQLException {
        Map<String, AppliedMigration> done = history(DEFERRED_HISTORY).stream()
                .filter(AppliedMigration::success)
                .filter(AppliedMigration::isVersionedSql)
                .collect(Collectors.toMap(AppliedMigration::version, r -> r, (a, b) -> b));
        List<MigrationScript> pending = new ArrayList<>();
        for (MigrationScript script : set.deferred()) {
            if (done.containsKey(script.version())) {
                checkUnchanged(script, done.get(script.version()), problems);
            } else {
                pending.add(script);
            }
        }
        return pending;
    }

    private static void checkUnchanged(MigrationScript script, AppliedMigration row, List<String> problems) {
        int now = checksum(script.sql());
        if (row.checksum() != null && row.checksum() != now) {
            problems.add((script.kind() == MigrationScript.Kind.DEFERRED ? MigrationSet.DEFERRED_FOLDER + "/" : "")
                    + script.fileName() + " was changed after it was applied on " + row.installedOn()
                    + " (checksum in the database " + row.checksum() + ", in this release " + now
                    + "); restore the applied text and put the change in a new migration");
        }
    }

    /** Runs every pending versioned and repeatable migration of the set, each in its own transaction. */
    @Override
    public List<AppliedMigration> migrate(MigrationSet set, MigrationListener listener) throws MigrationFailed {
        return run(set, "forward", HISTORY, listener);
    }

    /** Runs the pending deferred migrations of the set, each in its own transaction. */
    @Override
    public List<AppliedMigration> migrateDeferred(MigrationSet set, MigrationListener listener) throws MigrationFailed {
        return run(set, MigrationSet.DEFERRED_FOLDER, DEFERRED_HISTORY, listener);
    }

    private List<AppliedMigration> run(MigrationSet set, String folder, String table, MigrationListener listener)
            throws MigrationFailed {
        Path staging = null;
        FlywayEvents events = new FlywayEvents(listener);
        try {
            staging = Files.createTempDirectory("conveyor-migrations");
            set.stage(staging);
            int before = history(table).stream()
                    .mapToInt(AppliedMigration::rank)
                    .max()
                    .orElse(0);
            try {
                flyway(staging.resolve(folder), table, events)
                        // Deferred backfills run against a schema the deploy already built: their history starts at 0.
                        .baselineOnMigrate(table.equals(DEFERRED_HISTORY))
                        .baselineVersion("0")
                        .load()
                        .migrate();
            } catch (FlywayException e) {
                throw new MigrationFailed(
                        events.current(),
                        events.failure().map(f -> f + " failed: ").orElse("") + flywayError(e),
                        e);
            }
            return history(table).stream()
                    .filter(r -> r.rank() > before && !"BASELINE".equals(r.type()))
                    .toList();
        } catch (IOException | SQLException e) {
            throw new MigrationFailed(
                    events.current(), "cannot run migrations against " + db.label() + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(staging);
        }
    }

    private FluentConfiguration flyway(Path location, String table, FlywayEvents events) {
        return Flyway.configure(Migrator.class.getClassLoader())
                .dataSource(db.url(), db.user(), db.password())
                .locations("filesystem:" + location)
                .table(table)
                // Branches merge migrations with older timestamps than the newest applied one, as cnx-db's do.
                .outOfOrder(true)
                // Checksums were checked at plan time with a message that names the file.
                .validateOnMigrate(false)
                .cleanDisabled(true)
                .installedBy(installedBy)
                .callbacks(events);
    }

    /**
     * Runs an undo script and removes the migration's history row, in one transaction.
     *
     * @return the removed history row, so {@link #reapply} can put it back exactly
     */
    @Override
    public AppliedMigration undo(AppliedMigration migration, String undoSql, MigrationListener listener)
            throws MigrationFailed {
        MigrationListener.Step step = new MigrationListener.Step(
                "undo",
                migration.version(),
                migration.description(),
                "U" + migration.script().substring(1));
        return inTransaction(step, listener, c -> {
            execute(c, undoSql);
            try (PreparedStatement delete =
                    c.prepareStatement("DELETE FROM " + HISTORY + " WHERE version = ? AND success")) {
                delete.setString(1, migration.version());
                if (delete.executeUpdate() == 0) {
                    throw new SQLException("V" + migration.version() + " is not applied to " + db.label());
                }
            }
            return migration;
        });
    }

    /** Runs a versioned script again and writes back its history row: the inverse of {@link #undo}. */
    @Override
    public void reapply(AppliedMigration migration, String sql, MigrationListener listener) throws MigrationFailed {
        MigrationListener.Step step =
                new MigrationListener.Step("apply", migration.version(), migration.description(), migration.script());
        inTransaction(step, listener, c -> {
            execute(c, sql);
            insertHistory(
                    c,
                    HISTORY,
                    migration.version(),
                    migration.description(),
                    "SQL",
                    migration.script(),
                    migration.checksum());
            return null;
        });
    }

    /** Records a migration as applied without running it (repair); the history table must exist. */
    @Override
    public void markApplied(MigrationScript script) throws SQLException {
        String table = script.kind() == MigrationScript.Kind.DEFERRED ? DEFERRED_HISTORY : HISTORY;
        try (Connection c = db.open()) {
            if (!Schemas.tableExists(c, table)) {
                throw new SQLException("there is no " + table + " in " + db.label()
                        + " yet; baseline the database or run a migrate first");
            }
            insertHistory(
                    c, table, script.version(), script.description(), "SQL", script.fileName(), checksum(script.sql()));
        }
    }

    /** Forgets a migration (applied or failed) without running anything (repair). */
    @Override
    public boolean markNotApplied(String version, boolean deferred) throws SQLException {
        try (Connection c = db.open();
                PreparedStatement delete = c.prepareStatement(
                        "DELETE FROM " + (deferred ? DEFERRED_HISTORY : HISTORY) + " WHERE version = ?")) {
            delete.setString(1, version);
            return delete.executeUpdate() > 0;
        }
    }

    @Override
    public void baseline(MigrationSet set, String version, String description) throws MigrationFailed {
        baseline(version, description);
    }

    /**
     * Takes the history over from db-migrator's {@code schema_migrations}: every version that ran there and that the
     * set has is recorded as applied (deferred ones in the deferred history); rows that never ran ({@code applied}
     * null) stay pending. Refused once the database has a history of its own.
     *
     * @return the versions of {@code schema_migrations} that are not in the set, so were not taken over
     */
    public List<String> baselineFromSchemaMigrations(MigrationSet set) throws MigrationFailed {
        List<String> notInSet = new ArrayList<>();
        try (Connection c = db.open()) {
            if (!Schemas.tableExists(c, DbMigrator.HISTORY)) {
                throw new MigrationFailed(
                        null, db.label() + " has no " + DbMigrator.HISTORY + " to baseline from", null);
            }
            if (!history(c, HISTORY).isEmpty()) {
                throw new MigrationFailed(null, db.label() + " already has a " + HISTORY, null);
            }
            baseline("0", "history taken from " + DbMigrator.HISTORY);
            List<String> ran = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT version FROM " + DbMigrator.HISTORY
                            + " WHERE applied IS NOT NULL ORDER BY applied, version")) {
                while (rs.next()) {
                    ran.add(rs.getString(1));
                }
            }
            c.setAutoCommit(false);
            for (String version : ran) {
                Optional<MigrationScript> versioned = set.versioned(version);
                Optional<MigrationScript> deferred = set.deferred(version);
                if (versioned.isPresent()) {
                    insertHistory(
                            c,
                            HISTORY,
                            version,
                            versioned.get().description(),
                            "SQL",
                            versioned.get().fileName(),
                            checksum(versioned.get().sql()));
                } else if (deferred.isPresent()) {
                    ensureDeferredHistory(c);
                    insertHistory(
                            c,
                            DEFERRED_HISTORY,
                            version,
                            deferred.get().description(),
                            "SQL",
                            deferred.get().fileName(),
                            checksum(deferred.get().sql()));
                } else {
                    notInSet.add(version);
                }
            }
            c.commit();
            return notInSet;
        } catch (SQLException e) {
            throw new MigrationFailed(null, "cannot baseline " + db.label() + ": " + e.getMessage(), e);
        }
    }

    /** The deferred history as Flyway would create it, so a later deferred run finds it in place. */
    private void ensureDeferredHistory(Connection c) throws SQLException {
        if (Schemas.tableExists(c, DEFERRED_HISTORY)) {
            return;
        }
        execute(c, "CREATE TABLE " + DEFERRED_HISTORY + " (LIKE " + HISTORY + " INCLUDING ALL)");
        insertHistory(c, DEFERRED_HISTORY, "0", "<< Flyway Baseline >>", "BASELINE", "<< Flyway Baseline >>", null);
    }

    @Override
    public List<String> forgetDeferredAfter(AppliedMigration since, MigrationSet set) throws SQLException {
        if (since.installedOn() == null) {
            return List.of();
        }
        List<String> forgotten = new ArrayList<>();
        for (AppliedMigration row : history(DEFERRED_HISTORY)) {
            if (row.isVersionedSql() && row.success() && !row.installedOn().isBefore(since.installedOn())) {
                markNotApplied(row.version(), true);
                forgotten.add(row.version());
            }
        }
        return forgotten;
    }

    /** Marks an existing database as already at {@code version}: migrations up to it are never run. */
    public void baseline(String version, String description) throws MigrationFailed {
        Path empty = null;
        try {
            empty = Files.createTempDirectory("conveyor-baseline");
            Flyway.configure(Migrator.class.getClassLoader())
                    .dataSource(db.url(), db.user(), db.password())
                    .locations("filesystem:" + empty)
                    .table(HISTORY)
                    .baselineVersion(version)
                    .baselineDescription(description)
                    .installedBy(installedBy)
                    .load()
                    .baseline();
        } catch (FlywayException | IOException e) {
            throw new MigrationFailed(null, firstLine(e.getMessage()), e);
        } finally {
            deleteQuietly(empty);
        }
    }

    private void insertHistory(
            Connection c,
            String table,
            String version,
            String description,
            String type,
            String script,
            Integer checksum)
            throws SQLException {
        try (PreparedStatement insert =
                c.prepareStatement("INSERT INTO " + table + " (installed_rank, version, description,"
                        + " type, script, checksum, installed_by, execution_time, success) SELECT coalesce(max(installed_rank), 0) + 1,"
                        + " ?, ?, ?, ?, ?, ?, 0, true FROM " + table)) {
            insert.setString(1, version);
            insert.setString(2, description);
            insert.setString(3, type);
            insert.setString(4, script);
            insert.setObject(5, checksum);
            insert.setString(6, installedBy);
            insert.executeUpdate();
        }
    }

    private interface TxWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(MigrationListener.Step step, MigrationListener listener, TxWork<T> work)
            throws MigrationFailed {
        Connection c = null;
        try {
            c = connections.borrow();
            c.setAutoCommit(false);
            try {
                listener.before(step, c);
                T result = work.run(c);
                listener.after(step, c);
                c.commit();
                return result;
            } catch (Exception e) {
                c.rollback();
                String message = step.label() + " failed: " + firstLine(e.getMessage());
                listener.failed(step, message);
                throw new MigrationFailed(step.script(), message, e);
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new MigrationFailed(
                    step.script(), "cannot reach " + db.label() + ": " + firstLine(e.getMessage()), e);
        } finally {
            if (c != null) {
                connections.giveBack(c);
            }
        }
    }

    /**
     * This migrator, on one connection kept for the undo and re-apply steps run through it until it is closed: a new
     * PostgreSQL backend per step (with cold catalog caches for the schema snapshots) is most of an undo's cost.
     */
    @Override
    public Migrator keepingConnection() {
        return new Migrator(db, installedBy, Connections.kept(db));
    }

    /** Closes the kept connection, if this migrator keeps one. */
    @Override
    public void close() {
        connections.close();
    }

    /** Runs a script of several statements; PostgreSQL's driver splits it, dollar-quoted bodies included. */
    static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The database's own words from Flyway's multi-line report ("Message : ERROR: …"), else its first lines. */
    static String flywayError(FlywayException e) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        return text.lines()
                .map(String::strip)
                .filter(l -> l.startsWith("Message"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst()
                .orElse(firstLine(text));
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.strip()
                .lines()
                .filter(l -> !l.isBlank() && !l.startsWith("---"))
                .limit(3)
                .collect(Collectors.joining(" "))
                .strip();
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary folder left behind is harmless.
        }
    }
}
