package org.cnx.conveyor.migrate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code conveyor-migrate convert DIR OUT}: turns db-migrator migrations that only run literal SQL into
 * {@code V…__name.sql} / {@code U…__name.sql} pairs and says, file by file, what it could not convert and why. The
 * Python is read as text, never run.
 */
final class Convert {

    private static final Pattern MIGRATION = Pattern.compile("([0-9]+)_(.+)\\.py");
    private static final Pattern FLYWAY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private final PrintStream out;
    private final Map<String, String> versions = new HashMap<>();

    Convert(PrintStream out) {
        this.out = out;
    }

    /** Runs {@code convert DIR OUT} from the command line. */
    int run(Options options) throws IOException {
        Options.UsageException usage =
                new Options.UsageException("convert needs DIR and OUT, like convert" + " cnxdb/migrations migrations");
        return run(
                Path.of(options.positional().orElseThrow(() -> usage)),
                Path.of(options.second().orElseThrow(() -> usage)));
    }

    /** Converts every migration in {@code dir} into {@code target}; 0 when all converted, 1 when some were not. */
    int run(Path dir, Path target) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new Options.UsageException("DIR: expected a folder of db-migrator migrations, found none at " + dir);
        }
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new Options.UsageException("OUT: expected a folder to write to, found a file at " + target);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.sorted().toList();
        }
        int converted = 0;
        int skipped = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            Matcher m = MIGRATION.matcher(name);
            if (!m.matches() || !Files.isRegularFile(file)) {
                out.println(name + ": not a migration");
                continue;
            }
            String outcome =
                    convert(name, m.group(1), m.group(2), Files.readString(file, StandardCharsets.UTF_8), target);
            out.println(name + ": " + outcome);
            if (outcome.startsWith("converted")) {
                converted++;
            } else {
                skipped++;
            }
        }
        out.println(converted + " converted, " + skipped + " skipped");
        return skipped == 0 ? 0 : 1;
    }

    /** Converts one file, writing nothing unless all of it converts; returns its line of the report. */
    private String convert(String file, String version, String name, String source, Path target) throws IOException {
        if (!FLYWAY_NAME.matcher(name).matches()) {
            return "skipped: the name \"" + name + "\" does not fit a flyway file name (letters, digits, _ . -)";
        }
        if (versions.containsKey(version)) {
            return "skipped: version " + version + " is also used by " + versions.get(version);
        }
        versions.put(version, file);
        LiteralSqlMigration migration = LiteralSqlMigration.read(source);
        if (!migration.refusals().isEmpty()) {
            return "skipped: " + String.join("; ", migration.refusals());
        }
        if (Stream.concat(migration.up().stream(), migration.down().stream()).anyMatch(sql -> sql.contains("${"))) {
            // Flyway would replace ${…} with a placeholder's value, or fail for lack of one: the SQL would change.
            return "skipped: the SQL contains ${, which flyway reads as a placeholder";
        }
        String base = version + "__" + name + ".sql";
        Map<Path, String> scripts = new LinkedHashMap<>();
        scripts.put(
                migration.deferred() ? target.resolve("deferred").resolve("V" + base) : target.resolve("V" + base),
                script(file, "up", migration.up()));
        boolean undo = !migration.deferred() && !migration.down().isEmpty();
        if (undo) {
            scripts.put(target.resolve("U" + base), script(file, "down", migration.down()));
        }
        for (Path path : scripts.keySet()) {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                return "skipped: " + path + " already exists; not overwritten";
            }
        }
        for (Map.Entry<Path, String> script : scripts.entrySet()) {
            Files.createDirectories(script.getKey().getParent());
            // CREATE_NEW fails on anything already there, even a link, so nothing in OUT is ever overwritten.
            Files.writeString(
                    script.getKey(), script.getValue(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        }
        String written = (migration.deferred() ? "deferred/V" : "V") + base + (undo ? " and U" + base : "");
        if (migration.deferred()) {
            return "converted to " + written + " (deferred"
                    + (migration.down().isEmpty()
                            ? ")"
                            : "; its down is not kept: deferred backfills have no U script)");
        }
        if (!undo) {
            return "converted to " + written + " (irreversible: "
                    + (migration.hasDown() ? "down is only pass" : "no down") + ")";
        }
        return "converted to " + written;
    }

    /** The statements as one script, each ending with {@code ;}, under a line saying where they came from. */
    static String script(String file, String function, List<String> statements) {
        StringBuilder sql =
                new StringBuilder("-- Converted from " + file + " (" + function + ") by conveyor-migrate.\n");
        for (String statement : statements) {
            String text = statement.strip();
            if (text.isEmpty()) {
                continue;
            }
            int lastLine = text.lastIndexOf('\n') + 1;
            // A ; after a trailing -- comment would be commented out: it goes on a line of its own.
            String end = text.endsWith(";") ? "" : text.indexOf("--", lastLine) >= 0 ? "\n;" : ";";
            sql.append(text).append(end).append("\n\n");
        }
        return sql.substring(0, sql.length() - 1);
    }
}
