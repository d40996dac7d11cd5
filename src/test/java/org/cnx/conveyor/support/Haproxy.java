package org.cnx.conveyor.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real haproxy (the Debian package) in front of local servers: its own config, admin socket and free port in a
 * folder of the test's, with health checks on {@code /health} and each response naming its server in {@code X-Server}.
 * It does not retry a failed connection on another server, so a request sent to a restarting server shows as failed
 * (with retries haproxy hides most of those behind a second of latency).
 */
public final class Haproxy implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final int metricsPort;
    private final Process process;

    private Haproxy(Path dir, int port, int metricsPort, Process process) {
        this.dir = dir;
        this.port = port;
        this.metricsPort = metricsPort;
        this.process = process;
    }

    /** Starts haproxy with backend {@code backend} holding the given servers (name to port). */
    public static Haproxy start(Path dir, String backend, Map<String, Integer> servers) throws IOException {
        return start(dir, backend, servers, "");
    }

    /** As {@link #start(Path, String, Map)}, with extra lines for the backend (an errorfile, say). */
    public static Haproxy start(Path dir, String backend, Map<String, Integer> servers, String backendExtra)
            throws IOException {
        Files.createDirectories(dir);
        int port = freePort();
        int metricsPort = freePort();
        StringBuilder config =
                new StringBuilder("""
                global
                    stats socket %s mode 600 level admin
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                    retries 0
                frontend metrics
                    bind 127.0.0.1:%d
                    http-request use-service prometheus-exporter if { path /metrics }
                frontend site
                    bind 127.0.0.1:%d
                    default_backend %s
                backend %s
                    balance roundrobin
                    option httpchk GET /health
                    http-response set-header X-Server %%s
                    default-server inter 200ms fall 2 rise 1
                """.formatted(dir.resolve("admin.sock"), metricsPort, port, backend, backend));
        config.append(backendExtra);
        servers.forEach((name, serverPort) -> config.append("    server ")
                .append(name)
                .append(" 127.0.0.1:")
                .append(serverPort)
                .append(" check\n"));
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        Process process = new ProcessBuilder("haproxy", "-db", "-f", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile())
                .start();
        Haproxy haproxy = new Haproxy(dir, port, metricsPort, process);
        Wait.until("haproxy to listen on " + port, Duration.ofSeconds(30), haproxy::accepts);
        return haproxy;
    }

    public int port() {
        return port;
    }

    /** Where haproxy's own Prometheus exporter answers ({@code /metrics}). */
    public String metricsTarget() {
        return "127.0.0.1:" + metricsPort;
    }

    public Path adminSocket() {
        return dir.resolve("admin.sock");
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private boolean accepts() {
        if (!process.isAlive()) {
            throw new AssertionError("haproxy exited: " + log());
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return Files.exists(adminSocket());
        } catch (IOException e) {
            return false;
        }
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("haproxy.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Free ports for {@code count} servers. */
    public static List<Integer> freePorts(int count) throws IOException {
        List<Integer> ports = new java.util.ArrayList<>();
        while (ports.size() < count) {
            int port = freePort();
            int metricsPort = freePort();
            if (!ports.contains(port)) {
                ports.add(port);
            }
        }
        return ports;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
