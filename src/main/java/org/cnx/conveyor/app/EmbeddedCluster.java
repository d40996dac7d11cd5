package org.cnx.conveyor.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * Conveyor's embedded PostgreSQL: a superuser password generated on first start (kept 0600 next to the cluster),
 * {@code scram-sha-256} for every connection, no {@code trust}. A cluster made by an older Conveyor (trust, no
 * password) is hardened in place on start. Used by Conveyor and by the tests' database alike.
 */
public final class EmbeddedCluster implements AutoCloseable {

    /** The superuser initdb creates; Conveyor itself connects as it, with the generated password. */
    public static final String SUPERUSER = "postgres";

    private static final Logger LOG = Logger.getLogger(EmbeddedCluster.class);

    /** How long the JVM's shutdown waits for the server to stop before it stops the cluster anyway. */
    private static final Duration SERVER_STOP_WAIT = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;
    private final String password;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedCluster(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /** Starts the cluster in {@code pgData} (created when empty), with the superuser password kept in {@code passwordFile}. */
    public static EmbeddedCluster start(Path pgData, Path passwordFile) throws IOException {
        return start(pgData, passwordFile, true, 0);
    }

    /**
     * Starts the cluster for a server that uses it until its own shutdown is over, on port {@code port} (0: any free
     * one): the JVM's shutdown stops the cluster only once {@code awaitServerStopped} has returned (or after
     * {@link #SERVER_STOP_WAIT}). Shutdown hooks run concurrently, so a cluster stopped by its own hook would go away
     * under the server's last transactions and scheduled tasks.
     */
    public static EmbeddedCluster startOutliving(Path pgData, Path passwordFile, int port, Runnable awaitServerStopped)
            throws IOException {
        EmbeddedCluster cluster = start(pgData, passwordFile, false, port);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            CountDownLatch stopped = new CountDownLatch(1);
                            Thread waiter = new Thread(
                                    () -> {
                                        awaitServerStopped.run();
                                        stopped.countDown();
                                    },
                                    "embedded-postgres-wait");
                            waiter.setDaemon(true);
                            waiter.start();
                            try {
                                stopped.await(SERVER_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
                                cluster.close();
                            } catch (IOException e) {
                                LOG.warnf("Cannot stop the embedded PostgreSQL: %s", e.getMessage());
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "embedded-postgres-stop"));
        return cluster;
    }

    private static EmbeddedCluster start(Path pgData, Path passwordFile, boolean ownShutdownHook, int port)
            throws IOException {
        boolean fresh = !Files.exists(pgData.resolve("postgresql.conf"));
        boolean hardened = !fresh && HbaFile.isHardened(pgData.resolve("pg_hba.conf"));
        String password = superuserPassword(pgData, passwordFile);
        Files.createDirectories(pgData);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(ownShutdownHook)
                .setServerConfig("password_encryption", HbaFile.METHOD)
                // Used by the start-up check that the server answers; harmless while an old cluster still trusts.
                .setConnectConfig("password", password);
        if (fresh) {
            // initdb's options: these come after its built-in "-A trust" and win, so the cluster never trusts anyone,
            // not even between initdb and the first connection.
            builder.setLocaleConfig("auth", HbaFile.METHOD).setLocaleConfig("pwfile", passwordFile.toString());
        }
        EmbeddedCluster cluster = new EmbeddedCluster(builder.start(), password);
        try {
            if (!hardened) {
                cluster.harden(pgData, fresh);
            }
        } catch (IOException | SQLException | RuntimeException e) {
            cluster.close();
            throw new IOException(
                    "cannot set the password of the embedded PostgreSQL in " + pgData + ": " + e.getMessage(), e);
        }
        return cluster;
    }

    /**
     * The superuser password the cluster in {@code pgData} has (or will have, when it is made): the one kept in
     * {@code passwordFile}, generated there for a cluster that has none yet.
     */
    static String superuserPassword(Path pgData, Path passwordFile) throws IOException {
        boolean fresh = !Files.exists(pgData.resolve("postgresql.conf"));
        if (!fresh && HbaFile.isHardened(pgData.resolve("pg_hba.conf")) && !Files.exists(passwordFile)) {
            throw new IOException("the embedded PostgreSQL in " + pgData + " needs a password, but " + passwordFile
                    + " is missing; restore it from the backup of the data directory");
        }
        return SuperuserPassword.readOrCreate(passwordFile);
    }

    /** Sets the superuser's password (an older cluster has none), then makes every pg_hba rule ask for it. */
    private void harden(Path pgData, boolean fresh) throws IOException, SQLException {
        if (!fresh) {
            LOG.infof(
                    "Upgrading the embedded PostgreSQL in %s: superuser password, scram-sha-256 for every connection",
                    pgData);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, password);
                Statement s = c.createStatement()) {
            // The verifier is computed here; the password itself never travels to the server or into its logs.
            c.unwrap(PGConnection.class).alterUserPassword(SUPERUSER, password.toCharArray(), HbaFile.METHOD);
            HbaFile.write(pgData.resolve("pg_hba.conf"));
            s.execute("SELECT pg_reload_conf()");
        }
    }

    /** A JDBC URL of database {@code name} on this cluster, without credentials. */
    public String jdbcUrl(String name) {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name;
    }

    public int port() {
        return postgres.getPort();
    }

    public String password() {
        return password;
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            postgres.close();
        }
    }
}
