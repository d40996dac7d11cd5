package org.cnx.conveyor.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.SocketFactory;
import org.jboss.logging.Logger;

/**
 * The server's embedded PostgreSQL, started on a thread of its own while Quarkus boots on the main thread (they used to
 * take turns, and a restart waited for both). The port and the password are settled first, so the JDBC URL is known
 * before the cluster answers; every connection made through that URL waits in {@link Sockets} until the cluster has
 * started, or fails with the reason it did not.
 */
final class StartingCluster implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StartingCluster.class);

    /** The cluster {@link Sockets} waits for: one per server JVM. */
    private static volatile CompletableFuture<EmbeddedCluster> current =
            CompletableFuture.failedFuture(new IllegalStateException("no embedded PostgreSQL was started"));

    private final CompletableFuture<EmbeddedCluster> started;
    private final int port;
    private final String password;

    private StartingCluster(CompletableFuture<EmbeddedCluster> started, int port, String password) {
        this.started = started;
        this.port = port;
        this.password = password;
    }

    /**
     * Starts the cluster in {@code pgData} in the background (after stopping one a killed Conveyor left running on it),
     * outliving the server as {@link EmbeddedCluster#startOutliving} does.
     */
    static StartingCluster start(Path pgData, Path passwordFile, Runnable awaitServerStopped) throws IOException {
        String password = EmbeddedCluster.superuserPassword(pgData, passwordFile);
        int port = freePort();
        CompletableFuture<EmbeddedCluster> started = new CompletableFuture<>();
        current = started;
        Thread starter = new Thread(
                () -> {
                    try {
                        StalePostgres.stopIfRunning(pgData);
                        started.complete(
                                EmbeddedCluster.startOutliving(pgData, passwordFile, port, awaitServerStopped));
                    } catch (IOException | RuntimeException e) {
                        LOG.errorf("The embedded PostgreSQL in %s did not start: %s", pgData, e.getMessage());
                        started.completeExceptionally(e);
                    }
                },
                "embedded-postgres-start");
        starter.start();
        return new StartingCluster(started, port, password);
    }

    /**
     * A JDBC URL of database {@code name} on this cluster, without credentials; its connections wait for the start.
     */
    String jdbcUrl(String name) {
        return "jdbc:postgresql://localhost:" + port + "/" + name + "?socketFactory=" + Sockets.class.getName();
    }

    String password() {
        return password;
    }

    /** Stops the cluster once it has started (at once when it did not). */
    @Override
    public void close() throws IOException {
        try {
            started.join().close();
        } catch (CompletionException e) {
            // It never started: nothing to stop; the reason was logged and reached every connection.
        }
    }

    /** A loopback port nobody listens on now: the cluster's, chosen before it starts (as the cluster would choose). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static SocketFactory whenStarted() throws IOException {
        try {
            current.join();
        } catch (CompletionException e) {
            throw new IOException(
                    "the embedded PostgreSQL did not start: " + e.getCause().getMessage(), e.getCause());
        }
        return SocketFactory.getDefault();
    }

    /**
     * The JDBC driver's sockets to the cluster ({@code socketFactory} in the URL; the driver makes one of these per
     * connection): plain sockets, made once the cluster has started.
     */
    public static final class Sockets extends SocketFactory {

        @Override
        public Socket createSocket() throws IOException {
            return whenStarted().createSocket();
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return whenStarted().createSocket(host, port);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return whenStarted().createSocket(host, port, localHost, localPort);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return whenStarted().createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return whenStarted().createSocket(address, port, localAddress, localPort);
        }
    }
}
