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
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.cnx.conveyor.common.MigrationFormat;
import org.cnx.conveyor.migrate.engine.AppliedMigration;
import org.cnx.conveyor.migrate.engine.DatabaseAddress;
import org.cnx.conveyor.migrate.engine.DbMigrator;
import org.cnx.conveyor.migrate.engine.Drift;
import org.cnx.conveyor.migrate.engine.LocalPython;
import org.cnx.conveyor.migrate.engine.MigrationEngine;
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
 * {@code conveyor migrate status|migrate|undo|new|drift|baseline}: the server's migration engine for a developer's database
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
              baseline [VERSION]     record an existing database as migrated up to VERSION (db-migrator: every
                                     migration of the folder when no VERSION); --from-schema-migrations takes the
                                     history over from db-migrator's schema_migrations (flyway format)
              convert DIR OUT        turn db-migrator migrations that only run literal SQL into V/U scripts in OUT
            options:
              --format FORMAT        flyway or db-migrator (default: db-migrator when the folder holds
                                     <timestamp>_<name>.py files and no V…__….sql, else flyway)
              --python PATH          the interpreter with psycopg2 that runs db-migrator files (default: python3)
              --support GLOB[,GLOB]  files of the folder that are not migrations but are read by them, like sql/*.sql
              --superuser NAME       what db-migrator's super_user() connects as (password from
                                     CONVEYOR_MIGRATE_SUPERUSER_PASSWORD)
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
                case "baseline" -> baseline(options);
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
        MigrationSet set = read(options);
        MigrationEngine migrator = engine(options, set.format());
        MigrationPlan plan = migrator.plan(set, v -> Optional.empty());
        for (AppliedMigration row : migrator.history()) {
            String state = !row.success()
                    ? "failed"
                    : "BASELINE".equals(row.type())
                            ? "baseline"
                            : row.version() != null
                                            && set.deferred(row.version()).isPresent()
                                    ? "deferred, applied"
                                    : row.version() != null
                                                    && set.versioned(row.version())
                                                            .isEmpty()
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
                                : s.repeat()
                                        ? "repeat (runs when should_run says so)"
                                        : s.reversible() ? "pending" : "pending, no undo script"));
        plan.deferredPending()
                .forEach(s -> out.printf("%-16s %-28s %s%n", s.version(), s.description(), "deferred, pending"));
        plan.problems().forEach(p -> out.println("problem: " + p));
        return plan.problems().isEmpty() ? 0 : 1;
    }

    private int migrate(Options options) throws IOException, MigrationSetException, SQLException, MigrationFailed {
        MigrationSet set = read(options);
        MigrationEngine migrator = engine(options, set.format());
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
        MigrationSet set = read(options);
        MigrationEngine migrator = engine(options, set.format());
        List<AppliedMigration> newest = new ArrayList<>(migrator.history().stream()
                .filter(r -> r.success() && r.isVersionedSql())
                .toList());
        newest.sort(Comparator.comparing((AppliedMigration r) -> MigrationVersion.fromVersion(r.version()))
                .reversed());
        List<AppliedMigration> chosen = newest.subList(0, Math.min(options.steps(), newest.size()));
        for (AppliedMigration row : chosen) {
            if (undoOf(set, row).isEmpty()) {
                err.println("conveyor-migrate: "
                        + (set.format() == MigrationFormat.DB_MIGRATOR
                                ? row.label() + " cannot be undone: its down is missing or only passes"
                                : row.script() + " has no U" + row.version() + "__*.sql in " + options.dir())
                        + "; nothing was undone");
                return 1;
            }
        }
        try (MigrationEngine kept = migrator.keepingConnection()) {
            for (AppliedMigration row : chosen) {
                MigrationScript script = set.scriptFor(row).orElseThrow();
                kept.undo(withScript(row, script), script.undo(), printing());
                kept.forgetDeferredAfter(row, set)
                        .forEach(v -> out.println("deferred V" + v + " ran after " + row.label()
                                + ": no longer recorded as applied, so it runs again with the next migrate"));
            }
        }
        out.println(chosen.isEmpty() ? "nothing to undo" : chosen.size() + " migration(s) undone");
        return 0;
    }

    private static Optional<String> undoOf(MigrationSet set, AppliedMigration row) {
        return set.scriptFor(row).map(MigrationScript::undo);
    }

    /** The history row with the script's file name: db-migrator's history knows only versions. */
    private static AppliedMigration withScript(AppliedMigration row, MigrationScript script) {
        return new AppliedMigration(
                row.rank(),
                row.version(),
                script.description(),
                row.type(),
                script.fileName(),
                row.checksum(),
                row.installedBy(),
                row.installedOn(),
                row.executionMillis(),
                row.success());
    }

    private int baseline(Options options) throws IOException, MigrationSetException, SQLException, MigrationFailed {
        MigrationSet set = read(options);
        MigrationEngine migrator = engine(options, set.format());
        if (!migrator.history().isEmpty()) {
            err.println("conveyor-migrate: the database already has a migration history; nothing was changed");
            return 1;
        }
        if (options.fromSchemaMigrations()) {
            if (!(migrator instanceof Migrator flyway)) {
                throw new Options.UsageException(
                        "--from-schema-migrations takes db-migrator's history over for the flyway format; with"
                                + " --format db-migrator schema_migrations already is the history");
            }
            List<String> left = flyway.baselineFromSchemaMigrations(set);
            left.forEach(v -> out.println("not in " + options.dir() + ", so not taken over: " + v));
            out.println("history taken over from schema_migrations");
            return 0;
        }
        String version = options.positional().orElse(null);
        if (version == null && set.format() == MigrationFormat.FLYWAY) {
            throw new Options.UsageException("baseline needs the VERSION the database is at, like 20160104115058");
        }
        migrator.baseline(set, version, "baseline");
        out.println("baselined " + (version == null ? "with every migration of " + options.dir() : "at V" + version));
        return 0;
    }

    /** Reads the folder in the format asked for, or the one its file names show. */
    private MigrationSet read(Options options) throws IOException, MigrationSetException {
        MigrationFormat format = options.format().orElseGet(() -> detect(options.dir()));
        return MigrationSet.fromFolder(options.dir(), new MigrationSet.Source(format, options.support()));
    }

    private static MigrationFormat detect(Path dir) {
        try (var files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            boolean python = names.stream().anyMatch(n -> n.matches("[0-9]+_.+\\.py"));
            boolean flyway = names.stream().anyMatch(n -> n.matches("V[0-9._]+__.+\\.sql"));
            return python && !flyway ? MigrationFormat.DB_MIGRATOR : MigrationFormat.FLYWAY;
        } catch (IOException e) {
            return MigrationFormat.FLYWAY;
        }
    }

    private MigrationEngine engine(Options options, MigrationFormat format) {
        TargetDatabase db = options.database();
        if (format == MigrationFormat.FLYWAY) {
            return new Migrator(db, user());
        }
        return new DbMigrator(
                db, DatabaseAddress.of(db), superuser(options), new LocalPython(options.python()), user());
    }

    /** Your own server's superuser, when you name one: the scratch database of a drift check is on the same server. */
    private static Optional<Map<String, String>> superuser(Options options) {
        return options.superuser().map(name -> Map.of("user", name, "password", options.superuserPassword()));
    }

    private int drift(Options options) throws IOException, MigrationSetException, SQLException {
        MigrationSet set = read(options);
        TargetDatabase live = options.database();
        TargetDatabase scratch = ScratchDatabases.createScratch(live);
        Drift.Result result;
        try {
            if (set.format() == MigrationFormat.DB_MIGRATOR) {
                try (MigrationEngine engine = engine(options, set.format());
                        DbMigrator replaying = new DbMigrator(
                                scratch,
                                DatabaseAddress.of(scratch),
                                superuser(options),
                                new LocalPython(options.python()),
                                user(),
                                set.support())) {
                    result = Drift.check(
                            engine,
                            scratch,
                            row -> set.scriptFor(row).map(MigrationScript::sql),
                            replaying.replay(),
                            true);
                }
            } else {
                result = Drift.check(live, scratch, row -> set.scriptFor(row).map(MigrationScript::sql));
            }
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
            public void output(Step step, String line) {
                out.println("  | " + line);
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
