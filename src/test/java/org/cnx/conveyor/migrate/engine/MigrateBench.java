package org.cnx.conveyor.migrate.engine;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/**
 * Times a migrate of N trivial versioned migrations (one {@code CREATE TABLE} each) with plain Flyway, with
 * Conveyor's engine and a listener that only counts, with the journal the migrate phase writes, and with the journal
 * plus the schema snapshots and diffs it takes by default; then the undo of all N, without and with those. Each case
 * runs on a fresh database of one embedded PostgreSQL, the cases taking turns within each round. Run by
 * {@code benchmarks/migrate-bench.sh}.
 *
 * <p>Arguments: migration count, measured rounds (one warm-up round of every case comes first).
 */
public final class MigrateBench {

    private interface Case {
        /** Untimed preparation of the fresh database (the undo cases migrate it first). */
        default void prepare(TargetDatabase db) throws Exception {}

        void run(TargetDatabase db) throws Exception;
    }

    private final EmbeddedPostgres postgres;
    private final Connection journal;
    private final MigrationSet set;
    private final Path flywayFolder;
    private final int migrations;
    private int databases;
    private long jobs;
    private PhaseListener lastJournal;
    private PhaseListener lastFull;
    private final List<Long> undoSnapshotNanos = new ArrayList<>();

    private MigrateBench(
            EmbeddedPostgres postgres, Connection journal, MigrationSet set, Path flywayFolder, int migrations) {
        this.postgres = postgres;
        this.journal = journal;
        this.set = set;
        this.flywayFolder = flywayFolder;
        this.migrations = migrations;
    }

    public static void main(String[] args) throws Exception {
        int migrations = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Path folder = Files.createTempDirectory("migrate-bench");
        Path forward = Files.createDirectories(folder.resolve("flyway"));
        Path withUndo = Files.createDirectories(folder.resolve("conveyor"));
        for (int i = 1; i <= migrations; i++) {
            String name = "V" + i + "__t" + i + ".sql";
            Files.writeString(forward.resolve(name), "CREATE TABLE t" + i + " (id int);\n");
            Files.writeString(withUndo.resolve(name), "CREATE TABLE t" + i + " (id int);\n");
            Files.writeString(withUndo.resolve("U" + i + "__t" + i + ".sql"), "DROP TABLE t" + i + ";\n");
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(0).start()) {
            execute(postgres, "postgres", "CREATE DATABASE conveyor_journal");
            try (Connection journal =
                    postgres.getDatabase("postgres", "conveyor_journal").getConnection()) {
                try (Statement ddl = journal.createStatement()) {
                    ddl.execute(PhaseListener.JOURNAL_DDL);
                }
                new MigrateBench(postgres, journal, MigrationSet.fromFolder(withUndo), forward, migrations).run(rounds);
            }
        }
    }

    private void run(int rounds) throws Exception {
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put(
                "plain Flyway (peer)",
                db -> Flyway.configure()
                        .dataSource(db.url(), db.user(), db.password())
                        .locations("filesystem:" + flywayFolder)
                        .load()
                        .migrate());
        cases.put("engine, counting listener", db -> migrate(db, new Counting()));
        cases.put("engine + journal (schema-diff off)", db -> {
            lastJournal = new PhaseListener(journal, false, ++jobs);
            migrate(db, lastJournal);
        });
        cases.put("engine + journal + snapshots (default)", db -> {
            lastFull = new PhaseListener(journal, true, ++jobs);
            migrate(db, lastFull);
        });
        cases.put("undo all, counting listener", undo(() -> new Counting()));
        cases.put("undo all + journal + snapshots", undo(() -> new PhaseListener(journal, true, ++jobs)));

        Map<String, List<Double>> millis = new LinkedHashMap<>();
        cases.keySet().forEach(name -> millis.put(name, new ArrayList<>()));
        for (int round = 0; round <= rounds; round++) {
            for (Map.Entry<String, Case> c : cases.entrySet()) {
                double ms = time(c.getKey(), c.getValue());
                if (round > 0) {
                    millis.get(c.getKey()).add(ms);
                }
            }
            System.out.println(round == 0 ? "  warm-up round done" : "  round " + round + " of " + rounds + " done");
        }
        report(millis, rounds);
    }

    private void migrate(TargetDatabase db, MigrationListener listener) throws Exception {
        Migrator migrator = new Migrator(db, "bench");
        migrator.plan(set, v -> Optional.empty());
        migrator.migrate(set, listener);
        if (listener instanceof PhaseListener phase) {
            phase.commitFinished();
        }
    }

    private interface ListenerFactory {
        MigrationListener create();
    }

    /** Undoes every applied migration, newest first, one transaction each, as the migrate phase does for a downgrade. */
    private Case undo(ListenerFactory listeners) {
        return new Case() {
            @Override
            public void prepare(TargetDatabase db) throws Exception {
                new Migrator(db, "bench").migrate(set, MigrationListener.NONE);
            }

            @Override
            public void run(TargetDatabase db) throws Exception {
                undoSnapshotNanos.clear();
                Migrator migrator = new Migrator(db, "bench");
                List<AppliedMigration> applied = new ArrayList<>(migrator.history(Migrator.HISTORY));
                applied.sort(Comparator.comparing(AppliedMigration::rank).reversed());
                // One connection for the whole loop, as the migrate phase and its rollback keep one.
                try (Migrator kept = migrator.keepingConnection()) {
                    for (AppliedMigration row : applied) {
                        MigrationListener listener = listeners.create();
                        kept.undo(
                                row, set.versioned(row.version()).orElseThrow().undo(), listener);
                        if (listener instanceof PhaseListener phase) {
                            phase.commitFinished();
                            undoSnapshotNanos.addAll(phase.snapshotNanos());
                        }
                    }
                }
            }
        };
    }

    private double time(String name, Case c) throws Exception {
        String database = "bench_" + ++databases;
        execute(postgres, "postgres", "CREATE DATABASE " + database);
        TargetDatabase db = new TargetDatabase(postgres.getJdbcUrl("postgres", database), "postgres", "postgres");
        c.prepare(db);
        long start = System.nanoTime();
        c.run(db);
        double ms = (System.nanoTime() - start) / 1e6;
        int expected = name.startsWith("undo") ? 0 : migrations;
        if (tables(db) != expected) {
            throw new IllegalStateException(
                    name + ": expected " + expected + " tables t1..t" + migrations + ", found " + tables(db));
        }
        execute(postgres, "postgres", "DROP DATABASE " + database);
        return ms;
    }

    private static int tables(TargetDatabase db) throws SQLException {
        try (Connection c = db.open();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t[0-9]+$'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void execute(EmbeddedPostgres postgres, String database, String sql) throws SQLException {
        try (Connection c = postgres.getDatabase("postgres", database).getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private void report(Map<String, List<Double>> millis, int rounds) {
        double peer = median(millis.get("plain Flyway (peer)"));
        System.out.printf(
                "%n%d migrations, %d rounds after 1 warm-up round; times are wall-clock for the whole case%n%n",
                migrations, rounds);
        System.out.printf(
                "| %-38s | %9s | %9s | %9s | %13s | %8s |%n",
                "case", "median ms", "min", "max", "per migration", "ratio");
        System.out.printf("| %-38s | %9s | %9s | %9s | %13s | %8s |%n", "---", "---:", "---:", "---:", "---:", "---:");
        millis.forEach((name, values) -> System.out.printf(
                "| %-38s | %9.0f | %9.0f | %9.0f | %10.2f ms | %7.1f× |%n",
                name,
                median(values),
                values.stream().min(Double::compare).orElseThrow(),
                values.stream().max(Double::compare).orElseThrow(),
                median(values) / migrations,
                median(values) / peer));
        List<Long> nanos = lastFull.snapshotNanos();
        System.out.printf(
                "%nlast round, default migrate phase: %.0f ms in snapshots + diffs, %d objects in the last snapshot,"
                        + " %d log lines; per migration (two snapshots + diff), mean by migration number:%n",
                nanos.stream().mapToLong(Long::longValue).sum() / 1e6,
                lastFull.lastSnapshotSize(),
                lastFull.logLines());
        int band = Math.max(1, migrations / 10);
        StringBuilder bands = new StringBuilder("  #1 %.1f ms".formatted(mean(nanos.subList(0, 1))));
        for (int from = 1, to = band; from < nanos.size(); from = to, to = Math.min(nanos.size(), to + band)) {
            bands.append(", #%d–%d %.1f".formatted(from + 1, to, mean(nanos.subList(from, to))));
        }
        System.out.println(bands);
        System.out.printf(
                "last round, undo + snapshots: %.0f ms in snapshots + diffs, %.1f ms per migration"
                        + " (the undo loop keeps one connection)%n",
                undoSnapshotNanos.stream().mapToLong(Long::longValue).sum() / 1e6, mean(undoSnapshotNanos));
        System.out.printf(
                "last round, journal writes (%d begins, %d dones): %.0f ms with schema-diff off, %.0f ms with snapshots%n",
                migrations, migrations, lastJournal.journalNanos() / 1e6, lastFull.journalNanos() / 1e6);
    }

    private static double mean(List<Long> nanos) {
        return nanos.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Counts the migrations it is told about: the engine's own cost, with nothing done per migration. */
    private static final class Counting implements MigrationListener {
        private int before;
        private int after;

        @Override
        public void before(Step step, Connection connection) {
            before++;
        }

        @Override
        public void after(Step step, Connection connection) {
            after++;
        }
    }
}
