package org.cnx.conveyor.snapshot;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Consumer;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.migrate.DatabaseSeed;
import org.cnx.conveyor.migrate.engine.ScratchDatabases;
import org.cnx.conveyor.migrate.engine.TargetDatabase;

/**
 * Seeds a new embedded database with the newest stored snapshot of its {@code database.seed} source: a copy of the
 * snapshot's template, built first from the checked file when it is missing. Only recorded snapshots are restored, and
 * a recorded snapshot was scrubbed.
 */
@ApplicationScoped
class SnapshotSeed implements DatabaseSeed {

    private final SnapshotTemplates templates;

    SnapshotSeed(SnapshotTemplates templates) {
        this.templates = templates;
    }

    @Override
    public String describe(EnvironmentDefinition definition) {
        String source = definition
                .database()
                .flatMap(EnvironmentDefinition.DatabaseRef::seed)
                .orElseThrow();
        return QuarkusTransaction.requiringNew()
                .call(() -> Snapshot.newest(source))
                .map(s -> "snapshot #" + s.id + " of " + source + " (schema version "
                        + (s.schemaVersion == null ? "none" : s.schemaVersion) + ", " + s.migrations
                        + " migrations, taken " + s.takenAt + ")")
                .orElse("no snapshot of " + source + " yet, so it starts empty");
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
        String name = ScratchDatabases.nameOf(target.url());
        try {
            log.accept("seeding " + name + " from snapshot #" + snapshot.id + " of " + source + " taken "
                    + snapshot.takenAt + " (schema version "
                    + (snapshot.schemaVersion == null ? "none" : snapshot.schemaVersion) + ", " + snapshot.sizeBytes
                    + " bytes)");
            long started = System.nanoTime();
            templates.ensure(snapshot, log, () -> false);
            templates.copyInto(snapshot, name);
            log.accept("seeded " + name + " from snapshot #" + snapshot.id + " in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms; migrations it lacks run next");
        } catch (SQLException | SnapshotTemplates.Failed e) {
            throw new SeedFailed(e.getMessage());
        }
    }
}
