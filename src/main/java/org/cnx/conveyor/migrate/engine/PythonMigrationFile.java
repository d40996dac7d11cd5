package org.cnx.conveyor.migrate.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnx.conveyor.migrate.engine.MigrationScript.Kind;

/**
 * What a db-migrator migration file declares, read from its text without running it: its top-level functions
 * ({@code up}, {@code down}, {@code should_run}), whether {@code up} is {@code @deferred}, and whether {@code down} does
 * anything. Only the plan reads this; the file itself runs in Python, never in Conveyor.
 */
public record PythonMigrationFile(
        String version, String name, boolean deferred, boolean repeat, boolean hasUp, boolean reversible) {

    /** db-migrator's own file name rule. */
    static final Pattern FILE = Pattern.compile("([0-9]+)_(.+)\\.py");

    private static final Pattern DEF = Pattern.compile("def\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\(.*");
    private static final Pattern DEFERRED = Pattern.compile("@\\s*(?:dbmigrator\\s*\\.\\s*)?deferred\\b.*");

    /** Reads one file; empty when its name is not a db-migrator migration's. */
    public static Optional<PythonMigrationFile> parse(String fileName, String text) {
        Matcher m = FILE.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> lines = logicalTopLevel(text);
        boolean deferred = false;
        boolean repeat = false;
        boolean hasUp = false;
        boolean reversible = false;
        List<String> decorators = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("@")) {
                decorators.add(line);
                continue;
            }
            Matcher def = DEF.matcher(line);
            if (def.matches()) {
                switch (def.group(1)) {
                    case "up" -> {
                        hasUp = true;
                        deferred = decorators.stream()
                                .anyMatch(d -> DEFERRED.matcher(d).matches());
                    }
                    case "should_run" -> repeat = true;
                    case "down" -> reversible = !onlyPass(body(text, line));
                    default -> {}
                }
            }
            decorators.clear();
        }
        return Optional.of(new PythonMigrationFile(m.group(1), m.group(2), deferred, repeat, hasUp, reversible));
    }

    /**
     * Reads a db-migrator folder: {@code <timestamp>_<name>.py} directly in it are migrations (as db-migrator globs
     * them); every other file is support when the recipe lists it, and reported otherwise.
     */
    static MigrationSet parseSet(String where, Map<String, String> files, Map<String, String> support)
            throws MigrationSetException {
        List<MigrationScript> versioned = new ArrayList<>();
        List<MigrationScript> deferred = new ArrayList<>();
        List<MigrationSet.NotRun> notRun = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> seen = new java.util.HashMap<>();
        files.forEach((path, text) -> {
            Optional<PythonMigrationFile> file = path.contains("/") ? Optional.empty() : parse(path, text);
            if (file.isEmpty()) {
                notRun.add(new MigrationSet.NotRun(
                        path,
                        "db-migrator runs only <timestamp>_<name>.py files directly in the folder, like"
                                + " 20160104115058_add_api_keys.py"));
                return;
            }
            PythonMigrationFile f = file.get();
            String other = seen.put(f.version(), path);
            if (other != null) {
                problems.add(where + "/" + path + ": version " + f.version() + " is also used by " + other);
                return;
            }
            if (!f.hasUp()) {
                problems.add(where + "/" + path + ": expected a function up(cursor), found none");
                return;
            }
            MigrationScript script = new MigrationScript(
                    f.deferred() ? Kind.DEFERRED : Kind.VERSIONED,
                    f.version(),
                    f.name(),
                    path,
                    text,
                    f.reversible() ? text : null,
                    f.repeat());
            (f.deferred() ? deferred : versioned).add(script);
        });
        if (!problems.isEmpty()) {
            throw new MigrationSetException(problems);
        }
        return MigrationSet.dbMigrator(versioned, deferred, support, notRun);
    }

    /** The file's top-level lines (column 0, outside strings and comments), each one logical line. */
    private static List<String> logicalTopLevel(String text) {
        List<String> lines = new ArrayList<>();
        boolean inString = false;
        for (String line : text.split("\n", -1)) {
            boolean startsInString = inString;
            inString ^= (count(line, "\"\"\"") + count(line, "'''")) % 2 == 1;
            if (!startsInString
                    && !line.isEmpty()
                    && !Character.isWhitespace(line.charAt(0))
                    && !line.startsWith("#")) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    /** The body of the top-level function whose {@code def} line is {@code defLine}: what follows its colon. */
    private static List<String> body(String text, String defLine) {
        String[] all = text.split("\n", -1);
        List<String> body = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < all.length; i++) {
            if (all[i].strip().equals(defLine) && !all[i].isEmpty() && !Character.isWhitespace(all[i].charAt(0))) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            return body;
        }
        String afterColon =
                all[start].substring(all[start].lastIndexOf(':') + 1).strip();
        if (!afterColon.isEmpty() && !afterColon.startsWith("#")) {
            body.add(afterColon);
        }
        boolean inString = false;
        for (int i = start + 1; i < all.length; i++) {
            String line = all[i];
            if (!inString && !line.isBlank() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#")) {
                break;
            }
            inString ^= (count(line, "\"\"\"") + count(line, "'''")) % 2 == 1;
            body.add(line);
        }
        return body;
    }

    /** True when a body does nothing: only {@code pass}, {@code ...}, comments and a docstring. */
    static boolean onlyPass(List<String> body) {
        String code = String.join("\n", body)
                .replaceAll("(?s)\"\"\".*?\"\"\"|'''.*?'''", "")
                .replaceAll("(?m)#.*$", "");
        return code.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .allMatch(l -> l.equals("pass") || l.equals("...") || l.matches("[rRuU]?(\"[^\"]*\"|'[^']*')"));
    }

    private static int count(String line, String token) {
        String code = line.contains("#") && !line.contains(token) ? line.substring(0, line.indexOf('#')) : line;
        int n = 0;
        for (int i = code.indexOf(token); i >= 0; i = code.indexOf(token, i + token.length())) {
            n++;
        }
        return n;
    }
}
