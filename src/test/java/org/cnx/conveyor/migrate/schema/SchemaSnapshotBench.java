package org.cnx.conveyor.migrate.schema;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Times {@link SchemaSnapshot#take} and {@link SchemaDiff#between} on a generated schema, next to {@code pg_dump
 * --schema-only} of the same database. Run by {@code benchmarks/schema-snapshot-bench.sh}.
 *
 * <p>Arguments: table count, measured runs, path of pg_dump.
 */
public final class SchemaSnapshotBench {

    private static final int WARM_UP = 5;

    private SchemaSnapshotBench() {}

    public static void main(String[] args) throws Exception {
        int tables = Integer.parseInt(args[0]);
        int runs = Integer.parseInt(args[1]);
        String pgDump = args[2];
        try (ScratchPostgres postgres = ScratchPostgres.start()) {
            Connection database = postgres.database(schema(tables));
            SchemaSnapshot snapshot = SchemaSnapshot.take(database, Set.of());
            System.out.printf(
                    "schema: %d tables (6 columns, a serial primary key, one index each) = %d objects%n",
                    tables, snapshot.size());

            List<Double> takes = time(runs, () -> SchemaSnapshot.take(database, Set.of()));
            report("SchemaSnapshot.take", takes);
            report("connect + take", time(runs, () -> {
                try (Connection fresh = postgres.connect("scratch_1")) {
                    SchemaSnapshot.take(fresh, Set.of());
                }
            }));

            ScratchPostgres.run(database, changes(tables));
            SchemaSnapshot changed = SchemaSnapshot.take(database, Set.of());
            SchemaDiff diff = SchemaDiff.between(snapshot, changed);
            System.out.printf(
                    "diff after altering 10 tables: %d changes (%d added, %d removed, %d changed)%n",
                    diff.changes().size(),
                    diff.added().size(),
                    diff.removed().size(),
                    diff.changed().size());
            report(
                    "SchemaDiff.between + lines",
                    time(runs, () -> SchemaDiff.between(snapshot, changed).lines()));

            List<Double> dumps = time(runs, () -> dump(pgDump, postgres.port()));
            report("pg_dump --schema-only", dumps);
            System.out.printf("ratio pg_dump / SchemaSnapshot.take (medians): %.1fx%n", median(dumps) / median(takes));
        }
    }

    private static String[] schema(int tables) {
        List<String> ddl = new ArrayList<>();
        for (int i = 0; i < tables; i++) {
            String name = "t_%03d".formatted(i);
            ddl.add("CREATE TABLE " + name
                    + " (id serial PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),"
                    + " amount numeric(12,2), tags text[], note varchar(200))");
            ddl.add("CREATE INDEX " + name + "_name_idx ON " + name + " (name)");
        }
        return ddl.toArray(String[]::new);
    }

    private static String[] changes(int tables) {
        List<String> ddl = new ArrayList<>();
        for (int i = 0; i < Math.min(10, tables); i++) {
            String name = "t_%03d".formatted(i);
            ddl.add("ALTER TABLE " + name
                    + " ADD COLUMN groups text[], ALTER COLUMN note TYPE text, ALTER COLUMN amount SET NOT NULL");
            ddl.add("DROP INDEX " + name + "_name_idx");
        }
        return ddl.toArray(String[]::new);
    }

    private static void dump(String pgDump, int port) throws Exception {
        Process process = new ProcessBuilder(
                        pgDump,
                        "--schema-only",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(port),
                        "-U",
                        "postgres",
                        "-d",
                        "scratch_1",
                        "-f",
                        "/dev/null")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(pgDump + " exited with " + process.exitValue());
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static List<Double> time(int runs, Work work) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            work.run();
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.run();
            millis.add((System.nanoTime() - start) / 1e6);
        }
        return millis;
    }

    private static void report(String what, List<Double> millis) {
        System.out.printf(
                "%-30s median %8.1f ms   max %8.1f ms   (%d runs after %d warm-up)%n",
                what, median(millis), Collections.max(millis), millis.size(), WARM_UP);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
