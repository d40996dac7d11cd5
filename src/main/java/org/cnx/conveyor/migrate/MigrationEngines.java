package org.cnx.conveyor.migrate;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnx.conveyor.common.MigrationFormat;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.MigrationsRecipe;
import org.cnx.conveyor.migrate.EnvironmentDatabases.OpenDatabase;
import org.cnx.conveyor.migrate.engine.DatabaseAddress;
import org.cnx.conveyor.migrate.engine.DbMigrator;
import org.cnx.conveyor.migrate.engine.MigrationEngine;
import org.cnx.conveyor.migrate.engine.Migrator;
import org.cnx.conveyor.migrate.engine.PythonRunner;
import org.cnx.conveyor.migrate.engine.TargetDatabase;
import org.cnx.conveyor.secret.SecretService;
import org.cnx.conveyor.transport.Connector;

/**
 * The engine for an environment's migrations, by the format its recipe names: Flyway's in Conveyor, or db-migrator's
 * Python on the first host of the migrations' component (in that release's folder, for a relative interpreter).
 */
@ApplicationScoped
public class MigrationEngines {

    private final Connector connector;
    private final SecretService secrets;
    private final ReleaseFolders folders;
    private final MigrateConfig config;

    MigrationEngines(Connector connector, SecretService secrets, ReleaseFolders folders, MigrateConfig config) {
        this.connector = connector;
        this.secrets = secrets;
        this.folders = folders;
        this.config = config;
    }

    /** An engine that reads history and plans; running a db-migrator step through it is refused. */
    public MigrationEngine reading(EnvironmentDefinition definition, OpenDatabase db, String by) {
        return open(definition, db, null, Map.of(), by);
    }

    /**
     * An engine that runs a release's migrations (for db-migrator, with that release's interpreter, and its support
     * files beside every migration it runs or undoes).
     */
    public MigrationEngine open(
            EnvironmentDefinition definition, OpenDatabase db, ReleaseMigrations migrations, String by) {
        return open(definition, db, migrations.releaseId(), migrations.set().support(), by);
    }

    private MigrationEngine open(
            EnvironmentDefinition definition, OpenDatabase db, Long releaseId, Map<String, String> support, String by) {
        Optional<Component> carrier = carrier(definition);
        MigrationsRecipe recipe = carrier.flatMap(Component::migrations).orElse(null);
        if (recipe == null || recipe.format() == MigrationFormat.FLYWAY) {
            return new Migrator(db.database(), by);
        }
        PythonRunner python =
                releaseId == null ? PythonRunner.NONE : python(definition, carrier.get(), recipe, releaseId);
        return new DbMigrator(db.database(), db.address(), db.superuser(), python, by, support);
    }

    /**
     * Drift's replay of db-migrator migrations on a scratch database of Conveyor's own server: the live release's
     * Python, run as every other step, against that database.
     *
     * @throws DriftUnavailable when the migrations' host cannot reach Conveyor's server (an ssh host)
     */
    public DbMigrator replaying(EnvironmentDefinition definition, ReleaseMigrations live, TargetDatabase scratch)
            throws DriftUnavailable {
        Component component = carrier(definition).orElseThrow();
        List<Host> hosts = definition.hostsFor(component);
        if (hosts.isEmpty() || !hosts.get(0).transport().isOnConveyorMachine()) {
            throw new DriftUnavailable("drift replays db-migrator migrations with Python against a scratch database"
                    + " on Conveyor's own server, which "
                    + (hosts.isEmpty() ? "no host" : "ssh host " + hosts.get(0).name())
                    + " cannot reach; run conveyor-migrate drift against a copy instead, or compare the schema diffs"
                    + " in the jobs' logs");
        }
        PythonRunner python =
                python(definition, component, component.migrations().orElseThrow(), live.releaseId());
        return new DbMigrator(
                scratch,
                DatabaseAddress.of(scratch),
                Optional.empty(),
                python,
                "drift",
                live.set().support());
    }

    /** A drift check that cannot run for this environment; the message says why. */
    public static final class DriftUnavailable extends Exception {
        DriftUnavailable(String message) {
            super(message);
        }
    }

    private PythonRunner python(
            EnvironmentDefinition definition, Component component, MigrationsRecipe recipe, long releaseId) {
        List<Host> hosts = definition.hostsFor(component);
        if (hosts.isEmpty()) {
            return new PythonRunner.Refused("no host has role " + component.role() + " to run " + component.name()
                    + "'s db-migrator migrations on");
        }
        Host host = hosts.get(0);
        boolean embedded = definition.database().flatMap(d -> d.embedded()).isPresent();
        if (embedded && !host.transport().isOnConveyorMachine()) {
            return new PythonRunner.Refused("database "
                    + definition.database().get().embedded().get()
                    + " is on Conveyor's own server, which ssh host " + host.name() + " cannot reach; run the "
                    + component.name() + " component on a local or sandbox host, or give the database a url or via");
        }
        String interpreter = recipe.python();
        if (interpreter.contains("/") && !interpreter.startsWith("/")) {
            interpreter = folders.releaseFolder(host, component.name(), releaseId) + "/" + interpreter;
        }
        return new HostPython(
                connector,
                name -> QuarkusTransaction.requiringNew().call(() -> secrets.reveal(name)),
                host,
                interpreter,
                config.stepTimeout());
    }

    private static Optional<Component> carrier(EnvironmentDefinition definition) {
        return definition.components().values().stream()
                .filter(c -> c.migrations().isPresent())
                .findFirst();
    }
}
