package org.cnx.conveyor.migrate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cnx.conveyor.common.MigrationFormat;
import org.cnx.conveyor.migrate.engine.TargetDatabase;

/**
 * The command line of {@link MigrateCommand}: a command, an optional NAME (or DIR, then OUT for {@code convert}), and
 * {@code --key value} options.
 */
record Options(
        String command,
        Optional<String> positional,
        Path dir,
        String url,
        String user,
        String password,
        int steps,
        Optional<MigrationFormat> format,
        String python,
        List<String> support,
        Optional<String> superuser,
        String superuserPassword,
        boolean fromSchemaMigrations,
        Optional<String> second) {

    /** Wrong usage: the message says what was expected. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    static Options parse(List<String> args) {
        if (args.isEmpty()) {
            throw new UsageException("expected a command");
        }
        String command = args.get(0);
        String positional = null;
        String second = null;
        Path dir = Path.of("migrations");
        String url = System.getenv("CONVEYOR_MIGRATE_URL");
        String user = System.getenv("CONVEYOR_MIGRATE_USER");
        String password = System.getenv("CONVEYOR_MIGRATE_PASSWORD");
        int steps = 1;
        MigrationFormat format = null;
        String python = "python3";
        List<String> support = new ArrayList<>();
        String superuser = System.getenv("CONVEYOR_MIGRATE_SUPERUSER");
        String superuserPassword = System.getenv("CONVEYOR_MIGRATE_SUPERUSER_PASSWORD");
        boolean fromSchemaMigrations = false;
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--from-schema-migrations")) {
                fromSchemaMigrations = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                if (positional != null && (second != null || !command.equals("convert"))) {
                    throw new UsageException("unexpected argument " + arg);
                }
                if (positional != null) {
                    second = arg;
                } else {
                    positional = arg;
                }
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new UsageException(arg + " needs a value");
            }
            String value = args.get(++i);
            switch (arg) {
                case "--dir" -> dir = Path.of(value);
                case "--url" -> url = value;
                case "--user" -> user = value;
                case "--password" -> password = value;
                case "--steps" -> steps = steps(value);
                case "--format" ->
                    format = MigrationFormat.byId(value)
                            .orElseThrow(() -> new UsageException(
                                    "--format: expected flyway or db-migrator, found \"" + value + "\""));
                case "--python" -> python = value;
                case "--support" -> support.addAll(List.of(value.split(",")));
                case "--superuser" -> superuser = value;
                default -> throw new UsageException("unknown option " + arg);
            }
        }
        return new Options(
                command,
                Optional.ofNullable(positional),
                dir,
                url,
                user,
                password,
                steps,
                Optional.ofNullable(format),
                python,
                support,
                Optional.ofNullable(superuser),
                superuserPassword == null ? "" : superuserPassword,
                fromSchemaMigrations,
                Optional.ofNullable(second));
    }

    private static int steps(String value) {
        try {
            int steps = Integer.parseInt(value);
            if (steps > 0) {
                return steps;
            }
        } catch (NumberFormatException ignored) {
            // Reported below with the value as given.
        }
        throw new UsageException("--steps: expected a positive whole number, found \"" + value + "\"");
    }

    /** The database to work on; a missing or malformed URL is a usage error. */
    TargetDatabase database() {
        if (url == null || !url.startsWith("jdbc:postgresql://")) {
            throw new UsageException("--url: expected a JDBC URL like jdbc:postgresql://localhost:5432/cnx"
                    + (url == null ? ", found none" : ", found \"" + url + "\""));
        }
        return new TargetDatabase(url, user == null ? "" : user, password == null ? "" : password);
    }
}
