package org.cnx.conveyor.migrate;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cnx.conveyor.migrate.engine.OwnedDatabases;
import org.cnx.conveyor.migrate.engine.OwnerRoles;
import org.cnx.conveyor.migrate.engine.ScratchDatabases;
import org.cnx.conveyor.migrate.engine.TargetDatabase;
import org.cnx.conveyor.secret.SecretCipher;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Databases Conveyor creates on a PostgreSQL server it administers: environments' {@code embedded} databases on its
 * own server, and the scratch databases of drift checks (on its own server unless {@code conveyor.migrations.scratch.*}
 * names another). Each belongs to a role of its own, without any server privilege; Conveyor's own user only creates and
 * drops them and their roles, and every migration, undo, replay and reset runs as the owner role.
 */
@ApplicationScoped
public class ConveyorServer {

    private static final Logger LOG = Logger.getLogger(ConveyorServer.class);
    private static final Set<String> RESERVED = Set.of("postgres", "template0", "template1");

    private final TargetDatabase own;
    private final TargetDatabase scratch;
    private final SecretCipher cipher;
    private final AtomicBoolean ownDatabaseClosed = new AtomicBoolean();
    private final Set<String> prepared = ConcurrentHashMap.newKeySet();

    ConveyorServer(
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password,
            MigrateConfig config,
            SecretCipher cipher) {
        this.own = new TargetDatabase(url, user, password);
        this.scratch = new TargetDatabase(
                config.scratch().url().orElse(url),
                config.scratch().username().orElse(user),
                config.scratch().password().orElse(password));
        this.cipher = cipher;
    }

    /**
     * The database {@code name} on Conveyor's own server, created when it does not exist yet, reached as its owner role
     * (also named {@code name}, with a password derived from the master key).
     */
    public TargetDatabase embedded(String name) throws SQLException {
        return openEmbedded(name).database();
    }

    /** An embedded database as {@link #embedded} opens it, and whether this call created it (it is empty then). */
    public record Embedded(TargetDatabase database, boolean created) {}

    public Embedded openEmbedded(String name) throws SQLException {
        String ownName = ScratchDatabases.nameOf(own.url());
        if (RESERVED.contains(name) || name.equals(ownName)) {
            throw new SQLException(
                    "database " + name + " is Conveyor's own or the server's; an environment cannot use it");
        }
        closeOwnDatabase(ownName);
        String password = ownerPassword(name);
        boolean[] created = {false};
        if (!prepared.contains(name) || !OwnedDatabases.isOwnedBy(own, name, name)) {
            underLock(c -> {
                created[0] = !OwnedDatabases.exists(own, name);
                OwnerRoles.ensure(c, name, password);
                OwnedDatabases.ensure(own, name, name);
            });
            // Set once per run (not on every open): the password follows the master key this process was started with.
            prepared.add(name);
        }
        TargetDatabase on = ScratchDatabases.on(own, name);
        return new Embedded(new TargetDatabase(on.url(), name, password), created[0]);
    }

    /** A new, empty database for a drift check, owned by a new role of its own; drop both with {@link #dropScratch}. */
    public TargetDatabase newScratch() throws SQLException {
        return OwnedDatabases.createScratch(scratch);
    }

    public void dropScratch(TargetDatabase database) throws SQLException {
        OwnedDatabases.dropScratch(scratch, database);
    }

    /** Drops an embedded database (a torn-down environment's, or one reset) and its owner role. */
    public void dropEmbedded(String name) throws SQLException {
        prepared.remove(name);
        underLock(c -> OwnedDatabases.drop(own, name, name));
    }

    private interface RoleWork {
        void run(Connection c) throws SQLException;
    }

    /**
     * Catalog updates of one role from two sessions at once fail ("tuple concurrently updated"): a status page and a
     * job, or two Conveyor instances, may open the same database together. One session-level advisory lock orders them.
     */
    private void underLock(RoleWork work) throws SQLException {
        try (Connection c = own.open();
                Statement lock = c.createStatement()) {
            lock.execute("SELECT pg_advisory_lock(hashtext('conveyor owner roles'))");
            try {
                work.run(c);
            } finally {
                lock.execute("SELECT pg_advisory_unlock(hashtext('conveyor owner roles'))");
            }
        }
    }

    private String ownerPassword(String database) {
        return cipher.derive("embedded-database-owner:" + database);
    }

    /**
     * Only roles granted CONNECT may reach Conveyor's database (and template1, whose objects every new database would
     * copy); PostgreSQL grants it to PUBLIC by default. Done before the first owner role exists.
     */
    private void closeOwnDatabase(String ownName) {
        if (ownDatabaseClosed.get()) {
            return;
        }
        for (String database : new String[] {ownName, "template1"}) {
            try (Connection c = own.open();
                    Statement s = c.createStatement()) {
                s.execute(
                        "REVOKE CONNECT, TEMPORARY ON DATABASE \"" + database.replace("\"", "\"\"") + "\" FROM PUBLIC");
            } catch (SQLException e) {
                // An external server's user may not own its database or template1: say what an operator should do.
                LOG.warnf(
                        "Cannot revoke CONNECT on database %s from PUBLIC (%s); environment database owners could connect"
                                + " to it unless an administrator revokes it",
                        database, e.getMessage());
            }
        }
        ownDatabaseClosed.set(true);
    }
}
