package org.cnx.conveyor.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs steps on Conveyor's machine for an environment Conveyor does not trust (a developer's clone, a preview): each
 * command runs in a {@link Sandbox} as the environment's own unprivileged uid, seeing only its own root writable and
 * none of Conveyor's files.
 */
public final class SandboxConnection implements HostConnection {

    private final String host;
    private final Path root;
    private final int uid;
    private final SandboxConnector connector;

    SandboxConnection(String host, Path root, int uid, SandboxConnector connector) {
        this.host = host;
        this.root = root;
        this.uid = uid;
        this.connector = connector;
    }

    @Override
    public String host() {
        return host;
    }

    /** The uid the environment's commands run as. */
    public int uid() {
        return uid;
    }

    @Override
    public int exec(String command, Duration timeout, OutputSink sink) throws TransportException {
        return connector.run(host, uid, root, command, LocalProcess.Input.NONE, timeout, sink);
    }

    @Override
    public int exec(String command, InputFeeder stdin, Duration timeout, OutputSink sink) throws TransportException {
        return connector.run(host, uid, root, command, LocalProcess.Input.of(stdin), timeout, sink);
    }

    /**
     * Copies the file as the sandbox's uid ({@code cat} reading it from standard input): Conveyor never writes as
     * itself into a folder the environment controls, where a planted symbolic link could redirect the write.
     */
    @Override
    public void upload(Path local, String remotePath) throws TransportException {
        Path target = Path.of(remotePath).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new TransportException.HostUnreachable(
                    host, "cannot copy to " + remotePath + ": outside the sandbox's root " + root, null);
        }
        int exit = connector.run(
                host,
                uid,
                root,
                "cat > " + Shell.quote(target.toString()),
                LocalProcess.Input.of(local.toFile()),
                Duration.ofMinutes(10),
                OutputSink.DISCARD);
        if (exit != 0) {
            throw new TransportException.CommandFailed(
                    host, exit, "cannot copy " + local.getFileName() + " to " + remotePath);
        }
    }

    /** Stops every process of the sandbox's uid, removes the root as Conveyor, then frees the uid for reuse. */
    @Override
    public void removeRoot(String path, Duration timeout, OutputSink sink) throws TransportException {
        if (!Path.of(path).normalize().equals(root)) {
            throw new TransportException.HostUnreachable(
                    host, "cannot remove " + path + ": not the sandbox's root " + root, null);
        }
        try {
            connector.discard(host, uid, root, timeout, sink);
        } catch (IOException e) {
            throw new TransportException.HostUnreachable(host, "cannot remove " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Tunnel forward(String targetHost, int targetPort) throws TransportException {
        return LocalConnection.sameMachine(host, targetHost, targetPort);
    }

    @Override
    public void close() {
        // Nothing held open: each command is its own process.
    }
}
