package org.cnx.conveyor.migrate;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.DatabaseRef;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.migrate.engine.DatabaseAddress;
import org.cnx.conveyor.migrate.engine.TargetDatabase;
import org.cnx.conveyor.secret.SecretService;
import org.cnx.conveyor.transport.Connector;
import org.cnx.conveyor.transport.HostConnection;
import org.cnx.conveyor.transport.TransportException;
import org.cnx.conveyor.transport.Tunnel;
import org.jboss.logging.Logger;

/** Reaches an environment's database as its definition says: directly, through an SSH tunnel, or on Conveyor's server. */
@ApplicationScoped
public class EnvironmentDatabases {

    private static final Logger LOG = Logger.getLogger(EnvironmentDatabases.class);

    private final Connector connector;
    private final SecretService secrets;
    private final ConveyorServer server;
    private final Instance<DatabaseSeed> seeds;

    EnvironmentDatabases(
            Connector connector, SecretService secrets, ConveyorServer server, Instance<DatabaseSeed> seeds) {
        this.connector = connector;
        this.secrets = secrets;
        this.server = server;
        this.seeds = seeds;
    }

    /**
     * An open way to the database; closing it closes the tunnel, if there is one. {@code address} is the database as
     * a process on the environment's hosts connects to it; {@code superuser} what db-migrator's {@code super_user()}
     * gets, only when the definition provides it.
     */
    public record OpenDatabase(
            TargetDatabase database,
            String description,
            AutoCloseable route,
            DatabaseAddress address,
            Optional<Map<String, String>> superuser)
            implements AutoCloseable {

        OpenDatabase(TargetDatabase database, String description, AutoCloseable route) {
            this(database, description, route, DatabaseAddress.of(database), Optional.empty());
        }

        @Override
        public void close() {
            try {
                route.close();
            } catch (Exception ignored) {
                // Closing a tunnel or a session cannot fail in a way the caller could act on.
            }
        }
    }

    /** A database that cannot be reached; the message says which and why. */
    public static class Unreachable extends Exception {
        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public OpenDatabase open(EnvironmentDefinition definition) throws Unreachable {
        // Only a job should create a seeded database (its log shows the restore); anything else that does says so here.
        return open(definition, line -> LOG.infof("%s: %s", definition.name(), line));
    }

    /**
     * Opens the database; an embedded one that did not exist yet is created, and filled from the newest snapshot of
     * its {@code seed} when it names one ({@code log} hears how that goes).
     */
    public OpenDatabase open(EnvironmentDefinition definition, Consumer<String> log) throws Unreachable {
        DatabaseRef ref = definition
                .database()
                .orElseThrow(
                        () -> new Unreachable("environment \"" + definition.name() + "\" defines no database", null));
        if (ref.embedded().isPresent()) {
            String name = ref.embedded().get();
            try {
                TargetDatabase db = ref.seed().isPresent() && !seeds.isUnsatisfied()
                        ? server.openFilled(name, created -> seeds.get().seed(definition, created, log))
                        : server.embedded(name);
                return new OpenDatabase(db, "database " + name + " on Conveyor's own server", () -> {});
            } catch (DatabaseSeed.SeedFailed e) {
                throw new Unreachable(
                        "cannot seed database " + name + " from a snapshot of "
                                + ref.seed().orElseThrow() + ": " + e.getMessage(),
                        e);
            } catch (SQLException e) {
                throw new Unreachable(
                        "cannot create or reach database " + name + " on Conveyor's own server: " + e.getMessage(), e);
            }
        }
        String user = resolve(ref.user());
        String password = resolve(ref.password());
        Optional<Map<String, String>> superuser =
                ref.superuser().map(s -> Map.of("user", resolve(s.user()), "password", resolve(s.password())));
        if (ref.url().isPresent()) {
            TargetDatabase db = new TargetDatabase(resolve(ref.url().get()), user, password);
            return new OpenDatabase(db, db.label(), () -> {}, DatabaseAddress.of(db), superuser);
        }
        return tunnelled(definition, ref, user, password, superuser);
    }

    /**
     * The embedded database a snapshot seeds that has not been created (and seeded) yet, if that is the case: reading it
     * now would create it, so pages and plans leave that to the job, whose log shows the restore.
     */
    public Optional<String> awaitingSeed(EnvironmentDefinition definition) {
        Optional<DatabaseRef> ref = definition
                .database()
                .filter(d -> d.embedded().isPresent() && d.seed().isPresent());
        if (ref.isEmpty()) {
            return Optional.empty();
        }
        String name = ref.get().embedded().orElseThrow();
        try {
            if (server.isReady(name)) {
                return Optional.empty();
            }
            String seed = seeds.isUnsatisfied()
                    ? "the newest snapshot of " + ref.get().seed().orElseThrow()
                    : seeds.get().describe(definition);
            return Optional.of("database " + name + " does not exist yet: the next deploy job creates it from " + seed
                    + " and applies the migrations it lacks, listed in the job's log");
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private OpenDatabase tunnelled(
            EnvironmentDefinition definition,
            DatabaseRef ref,
            String user,
            String password,
            Optional<Map<String, String>> superuser)
            throws Unreachable {
        Host via = definition.host(ref.via().orElseThrow()).orElseThrow();
        HostConnection connection = null;
        try {
            connection = connector.connect(via.endpoint(), this::secret);
            Tunnel tunnel = connection.forward(ref.host(), ref.port());
            TargetDatabase db = new TargetDatabase(
                    "jdbc:postgresql://127.0.0.1:" + tunnel.localPort() + "/"
                            + ref.name().orElseThrow(),
                    user,
                    password);
            HostConnection open = connection;
            return new OpenDatabase(
                    db,
                    ref.host() + ":" + ref.port() + "/" + ref.name().orElseThrow() + " through ssh host " + via.name(),
                    () -> {
                        tunnel.close();
                        open.close();
                    },
                    // Hosts reach it as the via host does: that is where the definition's host and port are seen.
                    new DatabaseAddress(ref.host(), ref.port(), ref.name().orElseThrow(), user, password),
                    superuser);
        } catch (TransportException e) {
            if (connection != null) {
                connection.close();
            }
            throw new Unreachable(
                    "cannot open a tunnel through " + via.name() + " to " + ref.host() + ":" + ref.port() + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private Optional<String> secret(String name) {
        return QuarkusTransaction.requiringNew().call(() -> secrets.reveal(name));
    }

    private String resolve(String value) {
        return QuarkusTransaction.requiringNew().call(() -> secrets.resolveReferences(value));
    }
}
