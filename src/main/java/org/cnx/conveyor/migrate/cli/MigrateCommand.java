package org.cnx.conveyor.migrate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.cnx.conveyor.migrate.engine.AppliedMigration;
import org.cnx.conveyor.migrate.engine.Drift;
import org.cnx.conveyor.migrate.engine.MigrationFailed;
import org.cnx.conveyor.migrate.engine.MigrationListener;
import org.cnx.conveyor.migrate.engine.MigrationPlan;
import org.cnx.conveyor.migrate.engine.MigrationScript;
import org.cnx.conveyor.migrate.engine.MigrationSet;
import org.cnx.conveyor.migrate.engine.MigrationSetException;
import org.cnx.conveyor.migrate.engine.Migrator;
import org.cnx.conveyor.migrate.engine.SchemaChanges;
import org.cnx.conveyor.migrate.engine.ScratchDatabases;
import org.cnx.conveyor.migrate.engine.TargetDatabase;
import org.flywaydb.core.api.MigrationVersion;

/**
 * {@code conveyor migrate status|migrate|undo|new|drift}: the server's migration engine for a developer's database
 * and migrations folder, without a running Conveyor.
 */
public final class MigrateCommand {

    static final String USAGE = """
            usage: conveyor-migrate COMMAND [options]
              status                 what is applied, pending, deferred or failed
              migrate                apply pending migrations, then deferred ones
              undo [--steps N]       undo the newest N applied migrations (default 1) with their U scripts
              new NAME               create V<timestamp>__NAME.sql and its U<timestamp>__NAME.sql twin
              drift                  compare the database with what its applied migrations build on a scratch database
              convert DIR OUT        turn db-migrator migrations that only run literal SQL into V/U scripts in OUT
            options:
              --dir FOLDER           the migrations folder (default: migrations)
              --url JDBC_URL         the database (or CONVEYOR_MIGRATE_URL), e.g. jdbc:postgresql://localhost:5432/cnx
              --user NAME            (or CONVEYOR_MIGRATE_USER)
              --password SECRET      (or CONVEYOR_MIGRATE_PASSWORD; better than the command line, which others can see)
            """;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_]{0,80}");

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    public MigrateCommand(PrintStream out, PrintStream err, Clock clock) {
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    /** Runs a command; returns the process exit code (0 done, 1 failed, 2 wrong usage). */
    public int run(List<String> args) {
        try {
            Options options = Options.parse(args);
            return switch (options.command()) {
                case "new" -> create(options);
                case "status" -> status(options);
                case "migrate" -> migrate(options);
                case "undo" -> undo(options);
                case "drift" -> drift(options);
                case "convert" -> new Convert(out).run(options);
                default -> throw new Options.UsageException("unknown command " + options.command());
            };
        } catch (Options.UsageException e) {
            err.println("conveyor-migrate: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (MigrationSetException e) {
            e.problems().forEach(p -> err.println("conveyor-migrate: " + p));
            return 1;
        } catch (MigrationFailed | IOException | SQLException e) {
            err.println("conveyor-migrate: " + e.getMessage());
            return 1;
        }
    }

    private int create(Options options) throws IOException {
        String name = options.positional()
                .orElseThrow(() -> new Options.UsageException("new needs a NAME, like add_api_keys"));
        if (!NAME.matcher(name).matches()) {
            throw new Options.UsageException(
                    "NAME: expected lower-case letters, digits and _, like add_api_keys, found \"" + name + "\"");
        }
        String version = LocalDateTime.now(clock).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        Files.createDirectories(options.dir());
        Path forward = options.dir().resolve("V" + version + "__" + name + ".sql");
        Path undo = options.dir().resolve("U" + version + "__" + name + ".sql");
        Files.writeString(forward, "-- " + name + ": runs in one transaction in the deploy's migrate phase.\n");
        Files.writeString(undo, "-- Undoes V" + version + "__" + name + ".sql exactly (rollback runs it).\n");
        out.println("created " + forward);
        out.println("created " + undo);
        return 0;
    }

    private int status(Options options) throws IOException, MigrationSetException, SQLException {
        MigrationSet set = MigrationSet.fromFolder(options.dir());
        Migrator migrator = new Migrator(options.database(), user());
        MigrationPlan plan = migrator.plan(set, v -> Optional.empty());
        for (AppliedMigration row : migrator.history(Migrator.HISTORY)) {
            String state = !row.success()
                    ? "failed"
                    : "BASELINE".equals(row.type())
                            ? "baseline"
                            : row.version() != null
                                            && set.versioned(row.version()).isEmpty()
                                    ? "applied, not in folder"
                                    : "applied";
            out.printf(
                    "%-16s %-28s %-24s %s%n",
                    row.version() == null ? "R" : row.version(), row.description(), state, row.installedOn());
        }
        plan.pending()
                .forEach(s -> out.printf(
                        "%-16s %-28s %s%n",
                        s.version() == null ? "R" : s.version(),
                        s.description(),
                        s.kind() == MigrationScript.Kind.REPEATABLE
                                ? "pending (repeatable)"
                                : s.reversible() ? "pending" : "pending, no undo script"));
        plan.deferredPending()
                .forEach(s -> out.printf("%-16s %-28s %s%n", s.version(), s.description(), "deferred, pending"));
        plan.problems().forEach(p -> out.println("problem: " + p));
        return plan.problems().isEmpty() ? 0 : 1;
    }

    private int migrate(Options options) throws IOException, MigrationSetException, SQLException, MigrationFailed {
        MigrationSet set = MigrationSet.fromFolder(options.dir());
        Migrator migrator = new Migrator(options.database(), user());
        MigrationPlan plan = migrator.plan(set, v -> Optional.empty());
        if (!plan.problems().isEmpty()) {
            plan.problems().forEach(p -> err.println("conveyor-migrate: " + p));
            return 1;
        }
        int applied = migrator.migrate(set, printing()).size()
                + migrator.migrateDeferred(set, printing()).size();
        out.println(applied == 0 ? "nothing to apply" : applied + " migration(s) applied");
        return 0;
    }

    private int undo(Options options) throws IOException, MigrationSetException, SQLException, MigrationFailed {
        MigrationSet set = MigrationSet.fromFolder(options.dir());
        Migrator migrator = new Migrator(options.database(), user());
        List<AppliedMigration> newest = new ArrayList<>(migrator.history(Migrator.HISTORY).stream()
                .filter(r -> r.success() && r.isVersionedSql())
                .toList());
        newest.sort(Comparator.comparing((AppliedMigration r) -> MigrationVersion.fromVersion(r.version()))
                .reversed());
        List<AppliedMigration> chosen = newest.subList(0, Math.min(options.steps(), newest.size()));
        for (AppliedMigration row : chosen) {
            if (set.versioned(row.version()).map(MigrationScript::undo).isEmpty()) {
                err.println("conveyor-migrate: " + row.script() + " has no U" + row.version() + "__*.sql in "
                        + options.dir() + "; nothing was undone");
                return 1;
            }
        }
        try (Migrator kept = migrator.keepingConnection()) {
            for (AppliedMigration row : chosen) {
                kept.undo(row, set.versioned(row.version()).orElseThrow().undo(), printing());
            }
        }
        out.println(chosen.isEmpty() ? "nothing to undo" : chosen.size() + " migration(s) undone");
        return 0;
    }

    private int drift(Options options) throws IOException, MigrationSetException, SQLException {
        MigrationSet set = MigrationSet.fromFolder(options.dir());
        TargetDatabase live = options.database();
        TargetDatabase scratch = ScratchDatabases.createScratch(live);
        Drift.Result result;
        try {
            result = Drift.check(live, scratch, row -> set.scriptFor(row).map(MigrationScript::sql));
        } finally {
            ScratchDatabases.dropScratch(live, scratch);
        }
        result.notes().forEach(n -> out.println("note: " + n));
        if (result.clean()) {
            out.println("no drift: the schema is what the " + result.replayed() + " applied migration(s) build");
            return 0;
        }
        out.println("drift (+ only in the database, - only from the migrations, ~ differs):");
        result.diff().lines().forEach(line -> out.println("  " + line));
        return 1;
    }

    /** Prints each step and the schema change it made, as the server's job log does. */
    private MigrationListener printing() {
        return new MigrationListener() {
            private final SchemaChanges schema = new SchemaChanges(true, err::println);

            @Override
            public void before(Step step, Connection connection) {
                out.println(step.label() + " (" + step.script() + ")");
                schema.before(connection);
            }

            @Override
            public void after(Step step, Connection connection) {
                schema.after(connection).forEach(line -> out.println("  " + line));
            }

            @Override
            public void failed(Step step, String message) {
                err.println(message);
            }
        };
    }

    private static String user() {
        return System.getProperty("user.name", "developer");
    }
}
