package org.cnx.conveyor.migrate.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cnx.conveyor.migrate.engine.MigrationPlan.Undo;

/**
 * Runs cnx-db's db-migrator migrations as they are: each step is one run of a small Python program
 * ({@code dbmigrator_runner.py}) through a {@link PythonRunner}, which imports the migration, calls {@code up} or
 * {@code down} with a psycopg2 cursor and records it in {@code schema_migrations} in the same transaction. The history
 * stays db-migrator's own table, so the {@code dbmigrator} command keeps working against the database.
 */
public final class DbMigrator implements MigrationEngine {

    /** db-migrator's history table: {@code version TEXT, applied TIMESTAMPTZ} (null: deferred, not yet run). */
    public static final String HISTORY = "schema_migrations";

    private static final String RESULT_MARK = "\u001Econveyor-result ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PROGRAM = program();

    private final TargetDatabase db;
    private final DatabaseAddress address;
    private final Optional<Map<String, String>> superuser;
    private final PythonRunner python;
    private final String installedBy;
    private final Map<String, String> support;
    private final Connections connections;

    /**
     * @param address the database as the Python process reaches it
     * @param superuser what {@code super_user()} connects as ({@code user}, {@code password}); empty: it fails
     */
    public DbMigrator(
            TargetDatabase db,
            DatabaseAddress address,
            Optional<Map<String, String>> superuser,
            PythonRunner python,
            String installedBy) {
        this(db, address, superuser, python, installedBy, Map.of());
    }

    /** @param support files placed beside a migration that is undone or re-applied (the target release's) */
    public DbMigrator(
            TargetDatabase db,
            DatabaseAddress address,
            Optional<Map<String, String>> superuser,
            PythonRunner python,
            String installedBy,
            Map<String, String> support) {
        this(db, address, superuser, python, installedBy, support, Connections.perStep(db));
    }

    private DbMigrator(
            TargetDatabase db,
            DatabaseAddress address,
            Optional<Map<String, String>> superuser,
            PythonRunner python,
            String installedBy,
            Map<String, String> support,
            Connections connections) {
        this.support = Map.copyOf(support);
        this.db = db;
        this.address = address;
        this.superuser = superuser;
        this.python = python;
        this.installedBy = installedBy;
        this.connections = connections;
    }

    @Override
    public TargetDatabase database() {
        return db;
    }

    /** The applied rows of {@code schema_migrations}, oldest first; rows of deferred ones not yet run are left out. */
    @Override
    public List<AppliedMigration> history() throws SQLException {
        return rows(true);
    }

    /** db-migrator keeps deferred migrations in the same table, so there is no history of their own. */
    @Override
    public List<AppliedMigration> deferredHistory() {
        return List.of();
    }

    /** Versions recorded with {@code applied} null: deferred migrations db-migrator knows of but never ran. */
    public Set<String> recordedNotRun() throws SQLException {
        return rows(false).stream()
                .filter(r -> r.installedOn() == null)
                .map(AppliedMigration::version)
                .collect(Collectors.toSet());
    }

    private List<AppliedMigration> rows(boolean appliedOnly) throws SQLException {
        Connection c = connections.borrow();
        try {
            if (!Schemas.tableExists(c, HISTORY)) {
                return List.of();
            }
            List<AppliedMigration> rows = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT version, applied FROM " + HISTORY
                            + (appliedOnly ? " WHERE applied IS NOT NULL" : "")
                            + " ORDER BY applied NULLS LAST, version")) {
                while (rs.next()) {
                    Timestamp applied = rs.getTimestamp(2);
                    rows.add(row(rows.size() + 1, rs.getString(1), "", applied == null ? null : applied.toInstant()));
                }
            }
            return rows;
        } finally {
            connections.giveBack(c);
        }
    }

    private static AppliedMigration row(int rank, String version, String name, Instant applied) {
        return new AppliedMigration(rank, version, name, "PYTHON", version, null, null, applied, 0, true);
    }

    @Override
    public MigrationPlan plan(MigrationSet set, Function<String, Optional<String>> knownUndo) throws SQLException {
        List<String> problems = new ArrayList<>(MigrationPlan.notRunProblems(set));
        List<AppliedMigration> rows = history();
        Connection c = connections.borrow();
        try {
            if (rows.isEmpty() && !Schemas.tableExists(c, HISTORY)) {
                Schemas.unmanagedTables(c)
                        .ifPresent(tables -> problems.add(db.label() + " already has tables (" + tables + ") but no "
                                + HISTORY + ": its migrations history is unknown. Baseline it first (the Migrations"
                                + " page's Baseline, or conveyor-migrate baseline), which records the versions it"
                                + " already has"));
            }
        } finally {
            connections.giveBack(c);
        }
        Map<String, AppliedMigration> applied = byVersion(rows);
        List<MigrationScript> pending = set.versioned().stream()
                .filter(s -> s.repeat() || !applied.containsKey(s.version()))
                .toList();
        List<MigrationScript> deferredPending = set.deferred().stream()
                .filter(s -> s.repeat() || !applied.containsKey(s.version()))
                .toList();
        List<Undo> undo = new ArrayList<>();
        for (int i = rows.size() - 1; i >= 0; i--) {
            AppliedMigration row = rows.get(i);
            if (set.scriptFor(row).isEmpty()) {
                undo.add(new Undo(row, knownUndo.apply(row.version()).orElse(null)));
            }
        }
        undo.sort((a, b) -> b.applied().version().compareTo(a.applied().version()));
        return new MigrationPlan(undo, pending, deferredPending, problems);
    }

    @Override
    public List<AppliedMigration> migrate(MigrationSet set, MigrationListener listener) throws MigrationFailed {
        return run(set, set.versioned(), listener);
    }

    @Override
    public List<AppliedMigration> migrateDeferred(MigrationSet set, MigrationListener listener) throws MigrationFailed {
        return run(set, set.deferred(), listener);
    }

    private List<AppliedMigration> run(MigrationSet set, List<MigrationScript> scripts, MigrationListener listener)
            throws MigrationFailed {
        Map<String, AppliedMigration> applied;
        try {
            applied = byVersion(history());
        } catch (SQLException e) {
            throw new MigrationFailed(null, "cannot read " + HISTORY + " of " + db.label() + ": " + e.getMessage(), e);
        }
        List<AppliedMigration> done = new ArrayList<>();
        for (MigrationScript script : scripts) {
            boolean recorded = applied.containsKey(script.version());
            if (recorded && !script.repeat()) {
                continue;
            }
            if (script.repeat() && !shouldRun(set, script, listener)) {
                continue;
            }
            String action = recorded ? "rerun" : "apply";
            step(
                    new MigrationListener.Step(action, script.version(), script.description(), script.fileName()),
                    "up",
                    script.fileName(),
                    script.sql(),
                    set.support(),
                    listener);
            if (!recorded) {
                done.add(new AppliedMigration(
                        0,
                        script.version(),
                        script.description(),
                        "PYTHON",
                        script.fileName(),
                        Checksums.of(script.sql()),
                        installedBy,
                        Instant.now(),
                        0,
                        true));
            }
        }
        return done;
    }

    /** Asks a repeat migration's {@code should_run(cursor)}; nothing is journaled for a migration that says no. */
    private boolean shouldRun(MigrationSet set, MigrationScript script, MigrationListener listener)
            throws MigrationFailed {
        MigrationListener.Step step =
                new MigrationListener.Step("check", script.version(), script.description(), script.fileName());
        JsonNode result = call(step, "should_run", script.fileName(), script.sql(), set.support(), listener);
        boolean run = result.path("run").asBoolean(false);
        listener.output(step, script.fileName() + ": should_run says " + (run ? "run it" : "nothing to do"));
        return run;
    }

    @Override
    public AppliedMigration undo(AppliedMigration migration, String undoText, MigrationListener listener)
            throws MigrationFailed {
        String file = fileName(migration);
        step(
                new MigrationListener.Step("undo", migration.version(), migration.description(), file),
                "down",
                file,
                undoText,
                support,
                listener);
        return migration;
    }

    @Override
    public void reapply(AppliedMigration migration, String text, MigrationListener listener) throws MigrationFailed {
        String file = fileName(migration);
        step(
                new MigrationListener.Step("apply", migration.version(), migration.description(), file),
                "up",
                file,
                text,
                support,
                listener);
    }

    /**
     * Drift's replay through this engine: each applied migration's {@code up} runs again against this engine's
     * database (the scratch reference); a failure is a note of the drift report, not an error.
     */
    public Drift.Replay replay() {
        return (reference, row, text) -> {
            try {
                reapply(row, text, MigrationListener.NONE);
            } catch (MigrationFailed e) {
                throw new SQLException(
                        "replaying " + fileName(row) + " on the scratch database failed: " + e.getMessage(), e);
            }
        };
    }

    private static String fileName(AppliedMigration migration) {
        return migration.script() != null && migration.script().endsWith(".py")
                ? migration.script()
                : migration.version() + "_migration.py";
    }

    /** One journaled step: the listener sees Conveyor's own connection before and after the Python run commits. */
    private void step(
            MigrationListener.Step step,
            String action,
            String file,
            String text,
            Map<String, String> support,
            MigrationListener listener)
            throws MigrationFailed {
        Connection c = null;
        try {
            c = connections.borrow();
            listener.before(step, c);
            call(step, action, file, text, support, listener);
            listener.after(step, c);
        } catch (MigrationFailed e) {
            throw e;
        } catch (Exception e) {
            String message = step.label() + " failed: " + Migrator.firstLine(e.getMessage());
            listener.failed(step, message);
            throw new MigrationFailed(step.script(), message, e);
        } finally {
            if (c != null) {
                connections.giveBack(c);
            }
        }
    }

    private JsonNode call(
            MigrationListener.Step step,
            String action,
            String file,
            String text,
            Map<String, String> support,
            MigrationListener listener)
            throws MigrationFailed {
        Map<String, String> files = new LinkedHashMap<>(support);
        files.put(file, text);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("action", action);
        request.put("file", file);
        request.put("version", step.version());
        request.put("files", files);
        request.put("db", address.connectArguments());
        superuser.ifPresent(s -> request.put("superuser", s));
        JsonNode[] result = {null};
        int exit;
        try {
            exit = python.run(input(request), line -> {
                if (line.startsWith(RESULT_MARK)) {
                    result[0] = parse(line.substring(RESULT_MARK.length()));
                } else {
                    listener.output(step, line);
                }
            });
        } catch (IOException e) {
            String message = step.label() + " failed: cannot run Python on " + python.where() + ": " + e.getMessage();
            listener.failed(step, message);
            throw new MigrationFailed(file, message, e);
        }
        if (result[0] == null || !result[0].path("ok").asBoolean(false) || exit != 0) {
            String why = result[0] == null
                    ? "Python exited with status " + exit + " on " + python.where()
                            + " without an outcome (is psycopg2 installed for that interpreter?)"
                    : result[0].path("error").asText("exited with status " + exit);
            String message = step.label() + " failed: " + why;
            listener.failed(step, message);
            throw new MigrationFailed(file, message, null);
        }
        return result[0];
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.createObjectNode().put("ok", false).put("error", "unreadable outcome: " + json);
        }
    }

    private static byte[] input(Map<String, Object> request) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write((PROGRAM.length + "\n").getBytes(StandardCharsets.US_ASCII));
            out.write(PROGRAM);
            out.write(JSON.writeValueAsBytes(request));
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] program() {
        try (InputStream in = DbMigrator.class.getResourceAsStream("dbmigrator_runner.py")) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("dbmigrator_runner.py is missing from Conveyor's jar", e);
        }
    }

    @Override
    public void markApplied(MigrationScript script) throws SQLException {
        try (Connection c = db.open()) {
            record(c, script.version(), true);
        }
    }

    @Override
    public boolean markNotApplied(String version, boolean deferred) throws SQLException {
        try (Connection c = db.open()) {
            return Schemas.tableExists(c, HISTORY) && record(c, version, false) > 0;
        }
    }

    private static int record(Connection c, String version, boolean applied) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + HISTORY + " (version TEXT NOT NULL, applied TIMESTAMPTZ)");
        }
        if (!applied) {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + HISTORY + " WHERE version = ?")) {
                delete.setString(1, version);
                return delete.executeUpdate();
            }
        }
        try (PreparedStatement update =
                c.prepareStatement("UPDATE " + HISTORY + " SET applied = now() WHERE version = ?")) {
            update.setString(1, version);
            if (update.executeUpdate() > 0) {
                return 1;
            }
        }
        try (PreparedStatement insert =
                c.prepareStatement("INSERT INTO " + HISTORY + " (version, applied) VALUES (?, now())")) {
            insert.setString(1, version);
            return insert.executeUpdate();
        }
    }

    /**
     * db-migrator's {@code init}: records every migration of the set up to {@code version} (all when null) as applied,
     * for a database that already has what they make. Refused once the database has a history.
     */
    @Override
    public void baseline(MigrationSet set, String version, String description) throws MigrationFailed {
        try (Connection c = db.open()) {
            if (Schemas.tableExists(c, HISTORY)) {
                throw new MigrationFailed(null, db.label() + " already has " + HISTORY, null);
            }
            c.setAutoCommit(false);
            for (MigrationScript script : set.versioned()) {
                if (version == null || script.flywayVersion().compareTo(MigrationScript.versionOf(version)) <= 0) {
                    record(c, script.version(), true);
                }
            }
            for (MigrationScript script : set.deferred()) {
                if (version == null || script.flywayVersion().compareTo(MigrationScript.versionOf(version)) <= 0) {
                    record(c, script.version(), true);
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new MigrationFailed(null, "cannot baseline " + db.label() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> forgetDeferredAfter(AppliedMigration since, MigrationSet set) throws SQLException {
        if (since.installedOn() == null) {
            return List.of();
        }
        List<String> forgotten = new ArrayList<>();
        try (Connection c = db.open()) {
            for (AppliedMigration row : history()) {
                boolean deferredOfSet = set.deferred(row.version()).isPresent();
                if (deferredOfSet && !row.installedOn().isBefore(since.installedOn())) {
                    record(c, row.version(), false);
                    forgotten.add(row.version());
                }
            }
        }
        return forgotten;
    }

    private static Map<String, AppliedMigration> byVersion(List<AppliedMigration> rows) {
        Map<String, AppliedMigration> map = new LinkedHashMap<>();
        rows.forEach(r -> map.put(r.version(), r));
        return map;
    }

    @Override
    public MigrationEngine keepingConnection() {
        return new DbMigrator(db, address, superuser, python, installedBy, support, Connections.kept(db));
    }

    /** Closes the kept connection, if any, and the Python runner's connection to its host (reopened when needed). */
    @Override
    public void close() {
        connections.close();
        python.close();
    }
}
