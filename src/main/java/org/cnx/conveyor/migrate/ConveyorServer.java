package org.cnx.conveyor.migrate;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cnx.conveyor.migrate.engine.OwnedDatabases;
import org.cnx.conveyor.migrate.engine.OwnerRoles;
import org.cnx.conveyor.migrate.engine.ScratchDatabases;
import org.cnx.conveyor.migrate.engine.TargetDatabase;
import org.cnx.conveyor.migrate.engine.TemplateDatabases;
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
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> RESERVED = Set.of("postgres", "template0", "template1");
    /** Names of sealed templates; no environment may use one. */
    public static final String TEMPLATE_PREFIX = "conveyor_snapshot_";

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
        if (RESERVED.contains(name) || name.equals(ownName) || name.startsWith(TEMPLATE_PREFIX)) {
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

    /** Work that fills a database Conveyor has just created, reached as its owner role. */
    public interface Filling {
        void fill(TargetDatabase database) throws DatabaseSeed.SeedFailed, SQLException;
    }

    /**
     * The embedded database {@code name}; when it does not exist yet it is created and {@code filling} fills it. One
     * caller at a time per database, across instances (a session advisory lock): a second caller waits, then finds it
     * filled. A database still marked as being filled (its Conveyor stopped midway) is dropped and filled again; one
     * whose filling fails is dropped, so that the next attempt starts over.
     */
    public TargetDatabase openFilled(String name, Filling filling) throws SQLException, DatabaseSeed.SeedFailed {
        TargetDatabase[] opened = {null};
        exclusively("conveyor fill " + name, () -> {
            if (TemplateDatabases.isFilling(own, name)) {
                LOG.infof("Database %s was left half-filled; dropping it to fill it again", name);
                dropEmbedded(name);
            }
            Embedded embedded = openEmbedded(name);
            if (embedded.created()) {
                TemplateDatabases.markFilling(own, name, true);
                try {
                    filling.fill(embedded.database());
                } catch (DatabaseSeed.SeedFailed | SQLException | RuntimeException e) {
                    dropEmbedded(name);
                    throw e;
                }
                TemplateDatabases.markFilling(own, name, false);
            }
            opened[0] = embedded.database();
        });
        return opened[0];
    }

    /** Work done while holding a lock. */
    public interface LockedWork<E extends Exception> {
        void run() throws E, SQLException;
    }

    /**
     * Runs {@code work} while holding the session advisory lock {@code key} on Conveyor's server: one at a time per key,
     * across instances.
     */
    public <E extends Exception> void exclusively(String key, LockedWork<E> work) throws E, SQLException {
        try (Connection c = own.open();
                PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(hashtext(?))");
                PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
            lock.setString(1, key);
            unlock.setString(1, key);
            lock.execute();
            try {
                work.run();
            } finally {
                unlock.execute();
            }
        }
    }

    /** Whether the embedded database {@code name} exists and is not half-filled. */
    public boolean isReady(String name) throws SQLException {
        return OwnedDatabases.exists(own, name) && !TemplateDatabases.isFilling(own, name);
    }

    /**
     * Replaces the embedded database {@code name}, just created empty by {@link #openFilled}, with a copy of sealed
     * template {@code template} whose objects belong to the database's owner role.
     */
    public void copyTemplate(String template, String name) throws SQLException {
        ScratchDatabases.drop(own, name);
        TemplateDatabases.copy(own, template, name, name);
    }

    /**
     * A new, empty database for template {@code name} on Conveyor's own server (any earlier one of that name is dropped),
     * owned by a role of its own; {@link #sealTemplate} ends it.
     */
    public TargetDatabase newTemplate(String name) throws SQLException {
        dropTemplate(name);
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        underLock(c -> OwnerRoles.ensure(c, name, password));
        OwnedDatabases.ensure(own, name, name);
        TargetDatabase on = ScratchDatabases.on(own, name);
        return new TargetDatabase(on.url(), name, password);
    }

    public void sealTemplate(String name) throws SQLException {
        TemplateDatabases.seal(own, name);
    }

    public boolean isSealedTemplate(String name) throws SQLException {
        return TemplateDatabases.isSealed(own, name);
    }

    public void dropTemplate(String name) throws SQLException {
        underLock(c -> OwnedDatabases.drop(own, name, name));
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
