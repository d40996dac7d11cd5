package org.cnx.conveyor.transport;

import java.nio.file.Path;
import java.time.Duration;

/** An open connection to one host, over which a job runs commands and copies artifacts. */
public interface HostConnection extends AutoCloseable {

    /** The host's name in the environment definition. */
    String host();

    /**
     * Runs a shell command line (built with {@link Shell}) and streams its output to {@code sink}.
     *
     * @return the exit code
     * @throws TransportException.CommandTimedOut when it runs longer than {@code timeout}
     * @throws TransportException.HostUnreachable when the connection fails or breaks
     */
    int exec(String command, Duration timeout, OutputSink sink) throws TransportException;

    /**
     * Like {@link #exec}, with {@code stdin} as the command's standard input: how secrets reach a command without
     * appearing in its command line or environment.
     */
    default int exec(String command, byte[] stdin, Duration timeout, OutputSink sink) throws TransportException {
        return exec(command, InputFeeder.of(stdin), timeout, sink);
    }

    /**
     * Like {@link #exec}, with {@code stdin} written by {@code feeder} while the command runs (it may wait for what the
     * command prints before writing more): one exec that both receives a script and the files the script asks for.
     */
    int exec(String command, InputFeeder stdin, Duration timeout, OutputSink sink) throws TransportException;

    /** Like {@link #exec}, but a non-zero exit is a {@link TransportException.CommandFailed}. */
    default void run(String command, Duration timeout, OutputSink sink) throws TransportException {
        int exit = exec(command, timeout, sink);
        if (exit != 0) {
            throw new TransportException.CommandFailed(host(), exit, "exited with status " + exit);
        }
    }

    /**
     * The connection's long-running command, started with {@code command} on first use and kept while it runs; empty
     * where each command is its own process anyway (local and sandboxed hosts start no login shell).
     */
    default java.util.Optional<HostSession> session(String command) throws TransportException {
        return java.util.Optional.empty();
    }

    /** Copies a local file to {@code remotePath} on the host (whose folder exists). */
    void upload(Path local, String remotePath) throws TransportException;

    /**
     * Opens a local port that reaches {@code targetHost:targetPort} as this host sees it (SSH local port forwarding),
     * for a database that only listens on the host's private network.
     */
    Tunnel forward(String targetHost, int targetPort) throws TransportException;

    /**
     * Removes an environment's root on the host, once its components are stopped (a teardown's last step). A sandbox
     * also stops whatever its uid still runs and frees the uid.
     */
    default void removeRoot(String root, Duration timeout, OutputSink sink) throws TransportException {
        run("rm -rf " + Shell.quote(root), timeout, sink);
    }

    /**
     * Whether this open connection may serve another job for {@code endpoint} (kept open between jobs); only ssh
     * connections are worth keeping, and only while they still reach the endpoint as it is defined now.
     */
    default boolean reusableFor(Endpoint endpoint) {
        return false;
    }

    @Override
    void close();
}
