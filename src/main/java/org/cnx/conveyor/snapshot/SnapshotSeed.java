package org.cnx.conveyor.snapshot;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.migrate.DatabaseSeed;
import org.cnx.conveyor.migrate.engine.TargetDatabase;
import org.jboss.logging.Logger;

/**
 * Seeds a new embedded database with the newest stored snapshot of its {@code database.seed} source, restored in
 * parallel as the database's own role. Only recorded snapshots are restored, and a recorded snapshot was scrubbed;
 * its file must still have the checksum it was recorded with.
 */
@ApplicationScoped
class SnapshotSeed implements DatabaseSeed {

    private static final Logger LOG = Logger.getLogger(SnapshotSeed.class);

    private final SnapshotFiles files;
    private final SnapshotConfig config;

    SnapshotSeed(SnapshotFiles files, SnapshotConfig config) {
        this.files = files;
        this.config = config;
    }

    @Override
    public void seed(EnvironmentDefinition definition, TargetDatabase target, Consumer<String> log) throws SeedFailed {
        String source = definition
                .database()
                .flatMap(EnvironmentDefinition.DatabaseRef::seed)
                .orElseThrow();
        Optional<Snapshot> newest = QuarkusTransaction.requiringNew().call(() -> Snapshot.newest(source));
        if (newest.isEmpty()) {
            log.accept("no snapshot of " + source + " has been taken yet: the database starts empty");
            return;
        }
        Snapshot snapshot = newest.get();
        Path file = files.path(snapshot);
        try {
            if (!Files.isRegularFile(file) || !SnapshotFiles.sha256(file).equals(snapshot.sha256)) {
                throw new SeedFailed("the file of snapshot #" + snapshot.id + " (" + snapshot.file
                        + ") is missing or no longer has its recorded SHA-256; take a new snapshot of " + source);
            }
            log.accept("restoring snapshot #" + snapshot.id + " of " + source + " taken " + snapshot.takenAt
                    + " (schema version " + (snapshot.schemaVersion == null ? "none" : snapshot.schemaVersion) + ", "
                    + snapshot.sizeBytes + " bytes)");
            long started = System.nanoTime();
            PgCommand.of(config, "pg_restore", target)
                    .arg("--no-owner", "--no-acl", "--exit-on-error", "--jobs=" + config.restoreJobs(), file.toString())
                    .run(log, () -> false);
            log.accept("restored snapshot #" + snapshot.id + " in " + (System.nanoTime() - started) / 1_000_000
                    + " ms; migrations it lacks run next");
        } catch (IOException | PgCommand.Failed | PgCommand.Cancelled e) {
            throw new SeedFailed(e.getMessage());
        }
    }
}
