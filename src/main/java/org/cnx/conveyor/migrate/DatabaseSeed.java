package org.cnx.conveyor.migrate;

import java.util.function.Consumer;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.migrate.engine.TargetDatabase;

/**
 * Fills an embedded database right after Conveyor created it empty (for a new clone or preview, or by "Reset data"),
 * before any migration runs on it; the migrations then apply only what the seed lacks. Implemented by the snapshot
 * feature, which restores the newest scrubbed snapshot of the definition's {@code database.seed}.
 */
public interface DatabaseSeed {

    /**
     * Fills {@code target} (reached as its owner role); a failure leaves it to the caller to drop the half-filled
     * database.
     */
    void seed(EnvironmentDefinition definition, TargetDatabase target, Consumer<String> log) throws SeedFailed;

    /** What {@link #seed} would fill the database with now, in words for a plan ("snapshot #12 of staging, …"). */
    String describe(EnvironmentDefinition definition);

    /** Seeding failed; the message says why and what to do. */
    class SeedFailed extends Exception {
        public SeedFailed(String message) {
            super(message);
        }
    }
}
