package org.cnx.conveyor.migrate;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How environment databases are migrated and checked ({@code conveyor.migrations.*}). */
@ConfigMapping(prefix = "conveyor.migrations")
public interface MigrateConfig {

    /** Snapshot the schema before and after each migration and log the difference. */
    @WithDefault("true")
    boolean schemaDiff();

    /**
     * How often every environment with a database is checked for drift, as a Quarkus {@code every} value
     * ({@code 6h}, {@code 1d}); {@code off} checks only on request.
     */
    @WithDefault("off")
    String driftSchedule();

    /** Scratch databases for drift checks are created on this server; by default Conveyor's own. */
    Scratch scratch();

    /**
     * How long one db-migrator migration may run (its Python process on the host) before it is stopped and fails;
     * long backfills belong in deferred migrations, which get the same limit.
     */
    @WithDefault("6h")
    Duration stepTimeout();

    /** A PostgreSQL server where Conveyor may create and drop databases. */
    interface Scratch {
        /** JDBC URL of any database on that server; empty means Conveyor's own datasource. */
        Optional<String> url();

        Optional<String> username();

        Optional<String> password();
    }
}
