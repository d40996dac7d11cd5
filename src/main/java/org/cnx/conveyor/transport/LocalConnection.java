package org.cnx.conveyor.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * Runs steps as processes on Conveyor's own machine, as Conveyor's own user: only for trusted, admin-deployed
 * environments (the demo, single-box installs); developer-deployable ones use {@link SandboxConnection}.
 */
public final class LocalConnection implements HostConnection {

    private final String host;

    public LocalConnection(String host) {
        this.host = host;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int exec(String command, Duration timeout, OutputSink sink) throws TransportException {
        return LocalProcess.run(host, List.of("sh", "-c", command), null, LocalProcess.Input.NONE, timeout, sink);
    }

    @Override
    public int exec(String command, InputFeeder stdin, Duration timeout, OutputSink sink) throws TransportException {
        return LocalProcess.run(host, List.of("sh", "-c", command), null, LocalProcess.Input.of(stdin), timeout, sink);
    }

    @Override
    public void upload(Path local, String remotePath) throws TransportException {
        try {
            Files.copy(local, Path.of(remotePath), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TransportException.HostUnreachable(
                    host, "cannot copy " + local + " to " + remotePath + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // Nothing held open.
    }

    /** This machine already reaches what it would forward to: the "tunnel" is the target itself, when it is local. */
    @Override
    public Tunnel forward(String targetHost, int targetPort) throws TransportException {
        return sameMachine(host, targetHost, targetPort);
    }

    static Tunnel sameMachine(String host, String targetHost, int targetPort) throws TransportException {
        if (!targetHost.equals("localhost") && !targetHost.equals("127.0.0.1")) {
            throw new TransportException.HostUnreachable(
                    host,
                    "a local host cannot forward to " + targetHost
                            + "; use database.url for a database on another machine",
                    null);
        }
        return new Tunnel() {
            @Override
            public int localPort() {
                return targetPort;
            }

            @Override
            public void close() {}
        };
    }
}
