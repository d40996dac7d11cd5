package org.cnx.conveyor.snapshot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.cnx.conveyor.migrate.engine.TargetDatabase;

/**
 * One run of {@code pg_dump} or {@code pg_restore} against a database Conveyor reaches: connection settings as
 * arguments, the password in the process's environment (never in its command line), every output line to the log,
 * and the process killed when the job is cancelled.
 */
final class PgCommand {

    private static final Path DEBIAN_15 = Path.of("/usr/lib/postgresql/15/bin");

    /** The program ended with a non-zero exit code; the message holds its last lines. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    /** The job was cancelled while the program ran; it was stopped. */
    static final class Cancelled extends Exception {
        Cancelled() {
            super("cancelled");
        }
    }

    private final String program;
    private final List<String> args = new ArrayList<>();
    private final TargetDatabase database;
    private String options;

    private PgCommand(String program, TargetDatabase database) {
        this.program = program;
        this.database = database;
    }

    /** The program from {@code conveyor.snapshots.pg-bin}, Debian's PostgreSQL 15 client, or the PATH. */
    static PgCommand of(SnapshotConfig config, String name, TargetDatabase database) {
        Path bin = config.pgBin().map(Path::of).orElse(DEBIAN_15);
        Path program = bin.resolve(name);
        return new PgCommand(Files.isExecutable(program) ? program.toString() : name, database);
    }

    PgCommand arg(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    /** Every transaction of the session is read-only: nothing the program does can write to the database. */
    PgCommand readOnly() {
        options = "-c default_transaction_read_only=on";
        return this;
    }

    /**
     * Settings for filling a database nobody uses yet: commits that do not wait for the disk (a restore cut short by a
     * crash is dropped and done again anyway) and more memory for building its indexes.
     */
    PgCommand restoring() {
        options = "-c synchronous_commit=off -c maintenance_work_mem=256MB";
        return this;
    }

    /** Runs the program to its end, logging each line; {@code cancelled} is asked about twice a second. */
    void run(Consumer<String> log, BooleanSupplier cancelled) throws Failed, Cancelled, IOException {
        Address address = Address.of(database.url());
        List<String> command = new ArrayList<>(List.of(program, "--host", address.host(), "--port", address.port()));
        command.addAll(List.of("--username", database.user(), "--dbname", address.database(), "--no-password"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", database.password());
        builder.environment().put("PGCONNECT_TIMEOUT", "10");
        if (options != null) {
            builder.environment().put("PGOPTIONS", options);
        }
        Process process = builder.start();
        List<String> tail = new ArrayList<>();
        Thread reader = new Thread(() -> read(process, log, tail), "pg-output");
        reader.setDaemon(true);
        reader.start();
        try {
            while (!process.waitFor(500, TimeUnit.MILLISECONDS)) {
                if (cancelled.getAsBoolean()) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor();
                    throw new Cancelled();
                }
            }
            reader.join();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new Cancelled();
        }
        if (process.exitValue() != 0) {
            synchronized (tail) {
                throw new Failed(Path.of(program).getFileName() + " exited with " + process.exitValue()
                        + (tail.isEmpty() ? "" : ": " + String.join(" / ", tail)));
            }
        }
    }

    private static void read(Process process, Consumer<String> log, List<String> tail) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                log.accept(line);
                synchronized (tail) {
                    tail.add(line);
                    if (tail.size() > 3) {
                        tail.remove(0);
                    }
                }
            }
        } catch (IOException ignored) {
            // The process was killed: its output ends here.
        }
    }

    /** Host, port and database of a {@code jdbc:postgresql://host:port/name?…} URL. */
    record Address(String host, String port, String database) {
        static Address of(String url) {
            String rest = url.substring("jdbc:postgresql://".length());
            int query = rest.indexOf('?');
            rest = query < 0 ? rest : rest.substring(0, query);
            int slash = rest.indexOf('/');
            String hostPort = rest.substring(0, slash);
            String database = rest.substring(slash + 1);
            int colon = hostPort.lastIndexOf(':');
            return colon < 0 || hostPort.endsWith("]")
                    ? new Address(hostPort, "5432", database)
                    : new Address(hostPort.substring(0, colon), hostPort.substring(colon + 1), database);
        }
    }
}
