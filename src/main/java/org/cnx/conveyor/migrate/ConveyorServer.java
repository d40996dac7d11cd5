package org.cnx.conveyor.migrate;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import org.cnx.conveyor.migrate.engine.ScratchDatabases;
import org.cnx.conveyor.migrate.engine.TargetDatabase;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Databases Conveyor creates on a PostgreSQL server it administers: environments' {@code embedded} databases on its
 * own server, and the scratch databases of drift checks (on its own server unless {@code conveyor.migrations.scratch.*}
 * names another).
 */
@ApplicationScoped
public class ConveyorServer {

    private final TargetDatabase own;
    private final TargetDatabase scratch;

    ConveyorServer(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password, MigrateConfig config) {
        this.own = new TargetDatabase(url, user, password);
        this.scratch = new TargetDatabase(config.scratch().url().orElse(url), config.scratch().username().orElse(user),
                config.scratch().password().orElse(password));
    }

    /** The database {@code name} on Conveyor's own server, created when it does not exist yet. */
    public TargetDatabase embedded(String name) throws SQLException {
        ScratchDatabases.create(own, name);
        return ScratchDatabases.on(own, name);
    }

    /** A new, empty database for a drift check; drop it with {@link #dropScratch}. */
    public TargetDatabase newScratch() throws SQLException {
        return ScratchDatabases.createScratch(scratch);
    }

    public void dropScratch(TargetDatabase database) throws SQLException {
        ScratchDatabases.dropScratch(scratch, database);
    }

    /** Drops an embedded database (a torn-down environment's). */
    public void dropEmbedded(String name) throws SQLException {
        ScratchDatabases.drop(own, name);
    }
}
