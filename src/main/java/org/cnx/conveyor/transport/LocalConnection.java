package org.cnx.conveyor.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs steps as processes on Conveyor's own machine (the demo environment, single-box installs). */
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
        Process process;
        try {
            process = new ProcessBuilder("sh", "-c", command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new TransportException.HostUnreachable(host, "cannot start sh: " + e.getMessage(), e);
        }
        Object sinkLock = new Object();
        OutputPump out = OutputPump.start("local-stdout", process.getInputStream(), OutputSink.Stream.STDOUT, sink, sinkLock);
        OutputPump err = OutputPump.start("local-stderr", process.getErrorStream(), OutputSink.Stream.STDERR, sink, sinkLock);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new TransportException.CommandTimedOut(host, "did not finish within " + timeout.toSeconds() + " s");
            }
            // Background services started by the command may keep the pipes open: give the readers a moment only.
            out.await(2000);
            err.await(2000);
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TransportException.HostUnreachable(host, "interrupted", e);
        }
    }

    @Override
    public void upload(Path local, String remotePath) throws TransportException {
        try {
            Files.copy(local, Path.of(remotePath), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TransportException.HostUnreachable(host, "cannot copy " + local + " to " + remotePath + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // Nothing held open.
    }

    /** This machine already reaches what it would forward to: the "tunnel" is the target itself, when it is local. */
    @Override
    public Tunnel forward(String targetHost, int targetPort) throws TransportException {
        if (!targetHost.equals("localhost") && !targetHost.equals("127.0.0.1")) {
            throw new TransportException.HostUnreachable(host, "a local host cannot forward to " + targetHost
                    + "; use database.url for a database on another machine", null);
        }
        return new Tunnel() {
            @Override
            public int localPort() {
                return targetPort;
            }

            @Override
            public void close() {
            }
        };
    }
}
