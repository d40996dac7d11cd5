package org.cnx.conveyor.snapshot;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.cnx.conveyor.migrate.ConveyorServer;
import org.cnx.conveyor.migrate.engine.TargetDatabase;

/**
 * A snapshot's template: its checked file restored once into a sealed database on Conveyor's server, so that seeding a
 * clone is a file copy of that database rather than another restore. The template is derived from the stored file and
 * can always be built again from it; the file stays the snapshot.
 */
@ApplicationScoped
class SnapshotTemplates {

    private final ConveyorServer server;
    private final SnapshotFiles files;
    private final SnapshotConfig config;

    SnapshotTemplates(ConveyorServer server, SnapshotFiles files, SnapshotConfig config) {
        this.server = server;
        this.files = files;
        this.config = config;
    }

    static String nameOf(Snapshot snapshot) {
        return ConveyorServer.TEMPLATE_PREFIX + snapshot.id;
    }

    /**
     * Builds the snapshot's template unless it is there: one builder at a time per snapshot, across instances, and a
     * second caller finds it built.
     */
    void ensure(Snapshot snapshot, Consumer<String> log, BooleanSupplier cancelled) throws Failed {
        String name = nameOf(snapshot);
        try {
            server.exclusively("conveyor template " + name, () -> {
                if (!server.isSealedTemplate(name)) {
                    build(snapshot, log, cancelled);
                }
            });
        } catch (SQLException e) {
            throw new Failed("cannot prepare template " + name + ": " + e.getMessage());
        }
    }

    /**
     * Restores the snapshot's file (its checksum checked first) in parallel into a new template, freezes and analyses
     * it (so copies neither rewrite pages for hint bits nor start without statistics), and seals it. Anything left
     * half-made is dropped.
     */
    private void build(Snapshot snapshot, Consumer<String> log, BooleanSupplier cancelled) throws Failed, SQLException {
        Path file = checked(snapshot);
        String name = nameOf(snapshot);
        long started = System.nanoTime();
        boolean sealed = false;
        log.accept("restoring snapshot #" + snapshot.id + " into its template " + name + " (once per snapshot)");
        try {
            TargetDatabase template = server.newTemplate(name);
            PgCommand.of(config, "pg_restore", template)
                    .restoring()
                    .arg("--no-owner", "--no-acl", "--exit-on-error", "--jobs=" + config.restoreJobs(), file.toString())
                    .run(log, cancelled);
            try (Connection c = template.open();
                    Statement s = c.createStatement()) {
                s.execute("SET client_min_messages = error");
                s.execute("VACUUM (FREEZE, ANALYZE)");
            }
            server.sealTemplate(name);
            sealed = true;
            log.accept("prepared template " + name + " of snapshot #" + snapshot.id + " in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms: clones copy it");
        } catch (IOException | PgCommand.Failed e) {
            throw new Failed("cannot restore snapshot #" + snapshot.id + " into its template: " + e.getMessage());
        } catch (PgCommand.Cancelled e) {
            throw new Failed("cancelled while preparing the template of snapshot #" + snapshot.id);
        } finally {
            if (!sealed) {
                drop(snapshot);
            }
        }
    }

    /** Seeds {@code target}, just created empty, as a copy of the snapshot's template. */
    void copyInto(Snapshot snapshot, String target) throws SQLException {
        server.copyTemplate(nameOf(snapshot), target);
    }

    void drop(Snapshot snapshot) throws SQLException {
        server.dropTemplate(nameOf(snapshot));
    }

    /** The snapshot's file, present and with its recorded checksum. */
    Path checked(Snapshot snapshot) throws Failed {
        Path file = files.path(snapshot);
        boolean intact;
        try {
            intact = Files.isRegularFile(file) && SnapshotFiles.sha256(file).equals(snapshot.sha256);
        } catch (IOException e) {
            intact = false;
        }
        if (!intact) {
            throw new Failed("the file of snapshot #" + snapshot.id + " (" + snapshot.file
                    + ") is missing or no longer has its recorded SHA-256; take a new snapshot of " + snapshot.source);
        }
        return file;
    }

    /** The template could not be prepared (a missing or changed file, a failed restore); the message says why. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }
}
