package org.cnx.conveyor.migrate.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.cnx.conveyor.common.MigrationFormat;
import org.cnx.conveyor.migrate.engine.MigrationScript.Kind;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The migrations of one release, in one of two formats. Flyway's: versioned {@code V<version>__<name>.sql} with
 * optional {@code U<version>__<name>.sql} undo twins, repeatable {@code R__<name>.sql}, and deferred backfills in a
 * {@code deferred/} subfolder. db-migrator's: {@code <timestamp>_<name>.py} files (see {@link PythonMigrationFile}).
 * Files the format does not run are kept as support files when the recipe lists them, and reported otherwise.
 */
public final class MigrationSet {

    /** How to read a folder: its format, and the glob patterns of files in it that are not migrations. */
    public record Source(MigrationFormat format, List<String> support) {
        public static final Source FLYWAY = new Source(MigrationFormat.FLYWAY, List.of());

        public Source {
            support = List.copyOf(support);
        }

        /** True for a file whose name says the format might run it (its content decides the rest). */
        boolean mayRun(String path) {
            return path.endsWith(format == MigrationFormat.DB_MIGRATOR ? ".py" : ".sql");
        }

        boolean isSupport(String path) {
            return support.stream()
                    .anyMatch(glob -> FileSystems.getDefault()
                            .getPathMatcher("glob:" + glob)
                            .matches(Path.of(path)));
        }
    }

    /** A file of the folder that no migration engine runs and the recipe does not list as support; why. */
    public record NotRun(String path, String reason) {}

    static final String DEFERRED_FOLDER = "deferred";
    private static final Pattern VERSIONED =
            Pattern.compile("([VU])([0-9]+(?:[._][0-9]+)*)__([A-Za-z0-9][A-Za-z0-9_ .-]*)\\.sql");
    private static final Pattern REPEATABLE = Pattern.compile("R__([A-Za-z0-9][A-Za-z0-9_ .-]*)\\.sql");
    private static final String EXPECTED = "expected V<version>__<name>.sql, U<version>__<name>.sql or R__<name>.sql"
            + " (version: digits separated by . or _, like 20160104115058 or 1.2)";

    private final MigrationFormat format;
    private final List<MigrationScript> versioned;
    private final List<MigrationScript> repeatable;
    private final List<MigrationScript> deferred;
    private final Map<String, String> support;
    private final List<NotRun> notRun;

    private MigrationSet(
            MigrationFormat format,
            List<MigrationScript> versioned,
            List<MigrationScript> repeatable,
            List<MigrationScript> deferred,
            Map<String, String> support,
            List<NotRun> notRun) {
        this.format = format;
        this.versioned = List.copyOf(versioned);
        this.repeatable = List.copyOf(repeatable);
        this.deferred = List.copyOf(deferred);
        this.support = Collections.unmodifiableMap(new TreeMap<>(support));
        this.notRun = List.copyOf(notRun);
    }

    /** A set with no migrations at all. */
    public static MigrationSet empty() {
        return new MigrationSet(MigrationFormat.FLYWAY, List.of(), List.of(), List.of(), Map.of(), List.of());
    }

    /** Reads a Flyway-format migrations folder on disk (a developer's checkout). */
    public static MigrationSet fromFolder(Path folder) throws IOException, MigrationSetException {
        return fromFolder(folder, Source.FLYWAY);
    }

    /** Reads a migrations folder on disk (a developer's checkout). */
    public static MigrationSet fromFolder(Path folder, Source source) throws IOException, MigrationSetException {
        if (!Files.isDirectory(folder)) {
            throw new MigrationSetException(List.of(folder + ": expected a folder of migrations, found none"));
        }
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(
                        folder.relativize(file).toString().replace('\\', '/'),
                        Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return parse(folder.toString(), files, source);
    }

    /**
     * How much of an archive is read: each migration file, all of them together, and everything decompressed while
     * looking for them. A small {@code .tar.gz} can unpack to gigabytes; past a limit the read stops.
     */
    public record Limits(long maxEntry, long maxRead, long maxUnpacked) {
        /** Generous limits for callers without configuration (tests, the command line). */
        public static final Limits DEFAULT = new Limits(8L << 20, 64L << 20, 2L << 30);
    }

    /** Reads the migrations folder {@code folder} inside a {@code .tar.gz} artifact, within the default limits. */
    public static MigrationSet fromArchive(Path archive, String folder) throws IOException, MigrationSetException {
        return fromArchive(archive, folder, Limits.DEFAULT, Source.FLYWAY);
    }

    /** Reads the files of {@code folder} inside a {@code .tar.gz} artifact. */
    public static MigrationSet fromArchive(Path archive, String folder, Limits limits, Source source)
            throws IOException, MigrationSetException {
        String prefix = folder.replaceAll("^\\./", "").replaceAll("/+$", "") + "/";
        String where = prefix.substring(0, prefix.length() - 1);
        Map<String, String> files = new TreeMap<>();
        long read = 0;
        try (InputStream in = Files.newInputStream(archive);
                CappedStream unpacked = new CappedStream(new GZIPInputStream(in), limits.maxUnpacked());
                TarArchiveInputStream tar = new TarArchiveInputStream(unpacked)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName().replaceAll("^\\./", "");
                if (!entry.isFile() || !name.startsWith(prefix)) {
                    continue;
                }
                String path = name.substring(prefix.length());
                if (!source.mayRun(path) && !source.isSupport(path)) {
                    // Reported by name only: a file nothing runs or reads is not worth reading.
                    files.put(path, "");
                    continue;
                }
                if (entry.getSize() > limits.maxEntry()) {
                    throw new MigrationSetException(List.of(where + "/" + name.substring(prefix.length())
                            + ": larger than " + limits.maxEntry() + " bytes (conveyor.artifacts.max-entry-size)"));
                }
                read += entry.getSize();
                if (read > limits.maxRead()) {
                    throw new MigrationSetException(List.of(where + ": its migrations add up to more than "
                            + limits.maxRead() + " bytes (conveyor.artifacts.max-read-size)"));
                }
                files.put(
                        name.substring(prefix.length()),
                        new String(tar.readNBytes((int) entry.getSize()), StandardCharsets.UTF_8));
            }
        } catch (CappedStream.TooLarge e) {
            throw new MigrationSetException(List.of(archive.getFileName() + ": unpacks to more than "
                    + limits.maxUnpacked() + " bytes (conveyor.artifacts.max-unpacked-size)"));
        }
        return parse(where, files, source);
    }

    /** Builds a Flyway-format set from relative file names and their texts. */
    static MigrationSet parse(String where, Map<String, String> files) throws MigrationSetException {
        return parse(where, files, Source.FLYWAY);
    }

    /** Builds a set from relative file names and their texts; {@code where} prefixes file names in problems. */
    static MigrationSet parse(String where, Map<String, String> files, Source source) throws MigrationSetException {
        Map<String, String> support = new TreeMap<>();
        Map<String, String> candidates = new TreeMap<>();
        files.forEach((path, text) -> (source.isSupport(path) ? support : candidates).put(path, text));
        return source.format() == MigrationFormat.DB_MIGRATOR
                ? PythonMigrationFile.parseSet(where, candidates, support)
                : parseFlyway(where, candidates, support);
    }

    /** A db-migrator-format set, as {@link PythonMigrationFile#parseSet} reads it. */
    static MigrationSet dbMigrator(
            List<MigrationScript> versioned,
            List<MigrationScript> deferred,
            Map<String, String> support,
            List<NotRun> notRun) {
        return new MigrationSet(
                MigrationFormat.DB_MIGRATOR, sorted(versioned), List.of(), sorted(deferred), support, notRun);
    }

    private static List<MigrationScript> sorted(List<MigrationScript> scripts) {
        return scripts.stream()
                .sorted(Comparator.comparing(MigrationScript::flywayVersion))
                .toList();
    }

    private static MigrationSet parseFlyway(String where, Map<String, String> files, Map<String, String> support)
            throws MigrationSetException {
        List<NotRun> notRun = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, String[]> forward = new LinkedHashMap<>();
        Map<String, String[]> deferred = new LinkedHashMap<>();
        Map<String, String[]> undo = new LinkedHashMap<>();
        List<MigrationScript> repeatable = new ArrayList<>();
        files.forEach((path, sql) -> {
            String[] parts = path.split("/");
            boolean inDeferred = parts.length == 2 && parts[0].equals(DEFERRED_FOLDER);
            if (parts.length > 2 || (parts.length == 2 && !inDeferred)) {
                notRun.add(new NotRun(
                        path,
                        "the flyway format runs migrations directly in the folder or in " + DEFERRED_FOLDER + "/"));
                return;
            }
            String file = parts[parts.length - 1];
            Matcher v = VERSIONED.matcher(file);
            Matcher r = REPEATABLE.matcher(file);
            if (v.matches()) {
                String version = MigrationVersion.fromVersion(v.group(2)).getVersion();
                Map<String, String[]> target = v.group(1).equals("U") ? undo : inDeferred ? deferred : forward;
                if (inDeferred && v.group(1).equals("U")) {
                    problems.add(where + "/" + path + ": expected only forward V scripts in " + DEFERRED_FOLDER
                            + "/ (deferred backfills are not undone)");
                } else if (target.containsKey(version)) {
                    problems.add(
                            where + "/" + path + ": version " + version + " is also used by " + target.get(version)[0]);
                } else {
                    target.put(version, new String[] {file, describe(v.group(3)), sql});
                }
            } else if (r.matches() && !inDeferred) {
                repeatable.add(new MigrationScript(Kind.REPEATABLE, null, describe(r.group(1)), file, sql, null));
            } else {
                notRun.add(new NotRun(path, "the flyway format runs only files named so: " + EXPECTED));
            }
        });
        undo.forEach((version, u) -> {
            if (!forward.containsKey(version)) {
                problems.add(where + "/" + u[0] + ": undo script without a V" + version + "__*.sql to undo");
            }
        });
        deferred.keySet().stream()
                .filter(forward::containsKey)
                .forEach(version -> problems.add(where + "/" + DEFERRED_FOLDER + "/" + deferred.get(version)[0]
                        + ": version " + version + " is also used by " + forward.get(version)[0]));
        if (!problems.isEmpty()) {
            throw new MigrationSetException(problems);
        }
        return new MigrationSet(
                MigrationFormat.FLYWAY,
                scripts(Kind.VERSIONED, forward, undo),
                repeatable,
                scripts(Kind.DEFERRED, deferred, Map.of()),
                support,
                notRun);
    }

    /** Flyway's description of a file name's NAME part ({@code add_api_keys} → {@code add api keys}), as its history stores it. */
    private static String describe(String name) {
        return name.replace('_', ' ');
    }

    private static List<MigrationScript> scripts(Kind kind, Map<String, String[]> files, Map<String, String[]> undo) {
        return files.entrySet().stream()
                .map(e -> new MigrationScript(
                        kind,
                        e.getKey(),
                        e.getValue()[1],
                        e.getValue()[0],
                        e.getValue()[2],
                        Optional.ofNullable(undo.get(e.getKey())).map(u -> u[2]).orElse(null)))
                .sorted(Comparator.comparing(MigrationScript::flywayVersion))
                .toList();
    }

    public MigrationFormat format() {
        return format;
    }

    public List<MigrationScript> versioned() {
        return versioned;
    }

    /** Files the recipe lists as support (read by the migrations, never run), by path inside the folder. */
    public Map<String, String> support() {
        return support;
    }

    /** Files of the folder that are neither migrations nor listed as support: each one blocks the plan. */
    public List<NotRun> notRun() {
        return notRun;
    }

    public List<MigrationScript> repeatable() {
        return repeatable;
    }

    public List<MigrationScript> deferred() {
        return deferred;
    }

    public boolean isEmpty() {
        return versioned.isEmpty() && repeatable.isEmpty() && deferred.isEmpty() && notRun.isEmpty();
    }

    /** The deferred migration with this (normalised) version, if the set has it. */
    public Optional<MigrationScript> deferred(String version) {
        return deferred.stream().filter(m -> m.version().equals(version)).findFirst();
    }

    /** The versioned migration with this (normalised) version, if the set has it. */
    public Optional<MigrationScript> versioned(String version) {
        return versioned.stream().filter(m -> m.version().equals(version)).findFirst();
    }

    /** The script a history row was applied from: versioned or deferred by version, repeatable by description. */
    public Optional<MigrationScript> scriptFor(AppliedMigration row) {
        if (row.version() == null) {
            return repeatable.stream()
                    .filter(r -> r.description().equals(row.description()))
                    .findFirst();
        }
        return versioned(row.version()).or(() -> deferred(row.version()));
    }

    /**
     * Writes the scripts Flyway runs into {@code dir}: {@code forward/} (versioned and repeatable) and
     * {@code deferred/}. Undo scripts stay out: Flyway's free edition must not see them.
     */
    public void stage(Path dir) throws IOException {
        write(
                dir.resolve("forward"),
                Stream.concat(versioned.stream(), repeatable.stream()).toList());
        write(dir.resolve(DEFERRED_FOLDER), deferred);
    }

    private static void write(Path dir, List<MigrationScript> scripts) throws IOException {
        Files.createDirectories(dir);
        for (MigrationScript script : scripts) {
            Files.writeString(dir.resolve(script.fileName()), script.sql(), StandardCharsets.UTF_8);
        }
    }
}
