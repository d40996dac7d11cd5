package org.cnx.conveyor.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Debian's haproxy in front of several Conveyors, round-robin, with the readiness endpoint as health check. */
public final class InstancesHaproxy implements AutoCloseable {

    private final Process process;
    private final int port;

    private InstancesHaproxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts haproxy on a free port in front of the given base URLs ({@code http://localhost:PORT}). */
    public static InstancesHaproxy roundRobin(Path dir, List<String> backends) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        StringBuilder config = new StringBuilder("""
                global
                    maxconn 512
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 120s
                    timeout server 120s
                    timeout tunnel 10m
                frontend conveyor
                    bind 127.0.0.1:%d
                    default_backend instances
                backend instances
                    balance roundrobin
                    option httpchk GET /q/health/ready
                """.formatted(port));
        for (int i = 0; i < backends.size(); i++) {
            URI uri = URI.create(backends.get(i));
            config.append(
                    "    server c%d 127.0.0.1:%d check inter 500ms fall 2 rise 1\n".formatted(i + 1, uri.getPort()));
        }
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        Process process = new ProcessBuilder("haproxy", "-db", "-f", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile())
                .start();
        InstancesHaproxy haproxy = new InstancesHaproxy(process, port);
        Wait.until("haproxy to listen", Duration.ofSeconds(30), () -> {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return null;
            }
        });
        return haproxy;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        process.onExit().join();
    }
}
