package org.cnx.conveyor.transport;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * A connection to one host over a single SSH session, reused for every command and upload of a job.
 *
 * <p>Meant for one job thread: {@link #exec} and {@link #upload} are serialised, so a second thread calling
 * them waits for the first to finish. {@link #close} may be called from any thread and ends a running command.
 */
public final class SshConnection implements HostConnection {

    private static final long POLL_MILLIS = 20;
    // After the command exited, how long to wait for output still held open by a background process it started.
    private static final long DRAIN_MILLIS = 2000;
    // How long JSch may take to mark the session down after it closed a channel because the socket died.
    private static final long SETTLE_MILLIS = 1000;
    // OpenSSH's client exits with 255 when the remote command was killed by a signal; do the same.
    private static final int KILLED_BY_SIGNAL = 255;

    private final SshEndpoint endpoint;
    private final Session session;
    private final Duration channelTimeout;
    private final BiPredicate<SshEndpoint, byte[]> keyStillAccepted;

    SshConnection(
            SshEndpoint endpoint,
            Session session,
            Duration channelTimeout,
            BiPredicate<SshEndpoint, byte[]> keyStillAccepted) {
        this.endpoint = endpoint;
        this.session = session;
        this.channelTimeout = channelTimeout;
        this.keyStillAccepted = keyStillAccepted;
    }

    /**
     * True when this connection may serve another job for {@code target}: the same host, user and key, the host key it
     * presented still accepted by the definition as it is now, and the session answering (a channel opened and closed:
     * one round trip, no command and no login shell on the host).
     */
    @Override
    public synchronized boolean reusableFor(Endpoint target) {
        if (!endpoint.equals(target) || !session.isConnected()) {
            return false;
        }
        HostKey key = session.getHostKey();
        if (key == null || !keyStillAccepted.test(endpoint, Base64.getDecoder().decode(key.getKey()))) {
            return false;
        }
        try {
            Channel probe = session.openChannel("session");
            probe.connect(millis(channelTimeout));
            probe.disconnect();
            return true;
        } catch (JSchException e) {
            return false;
        }
    }

    @Override
    public String host() {
        return endpoint.host();
    }

    @Override
    public int exec(String command, Duration timeout, OutputSink sink) throws TransportException {
        return exec(command, new byte[0], timeout, sink);
    }

    @Override
    public synchronized int exec(String command, byte[] stdin, Duration timeout, OutputSink sink)
            throws TransportException {
        ChannelExec channel = openExec(command);
        // Closed once sent (empty by default): commands that read input see end of file instead of waiting forever.
        channel.setInputStream(new ByteArrayInputStream(stdin));
        return run(channel, timeout, sink, null);
    }

    @Override
    public synchronized int exec(String command, InputFeeder stdin, Duration timeout, OutputSink sink)
            throws TransportException {
        return run(openExec(command), timeout, sink, stdin);
    }

    private int run(ChannelExec channel, Duration timeout, OutputSink sink, InputFeeder feeder)
            throws TransportException {
        Thread feeding = null;
        try {
            Object sinkLock = new Object();
            OutputPump out = OutputPump.start(
                    "ssh-out-" + host(), channel.getInputStream(), OutputSink.Stream.STDOUT, sink, sinkLock);
            OutputPump err = OutputPump.start(
                    "ssh-err-" + host(), channel.getErrStream(), OutputSink.Stream.STDERR, sink, sinkLock);
            OutputStream input = feeder == null ? null : channel.getOutputStream();
            channel.connect(millis(channelTimeout));
            if (feeder != null) {
                feeding = InputFeeder.start("ssh-in-" + host(), feeder, input);
            }
            long drainUntil = awaitExit(channel, timeout, out, err) + DRAIN_MILLIS * 1_000_000;
            out.await(millisUntil(drainUntil));
            err.await(millisUntil(drainUntil));
            return exitStatus(channel);
        } catch (JSchException | IOException e) {
            throw lost("could not start the command", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException.HostUnreachable(
                    host(),
                    "host " + endpoint.label() + ": interrupted while running a command; its outcome is unknown",
                    e);
        } finally {
            if (feeding != null) {
                feeding.interrupt();
            }
            channel.disconnect();
        }
    }

    private SshSession scripts;

    /**
     * The kept command ({@code command}, started on first use, again after it ended). It has a channel of its own, so
     * commands run with {@link #exec} meanwhile do not wait for it.
     */
    @Override
    public synchronized Optional<HostSession> session(String command) throws TransportException {
        if (scripts != null && scripts.isOpen() && scripts.command.equals(command)) {
            return Optional.of(scripts);
        }
        if (scripts != null) {
            scripts.close();
        }
        ChannelExec channel = openExec(command);
        try {
            OutputStream input = channel.getOutputStream();
            SshSession opened = new SshSession(command, channel, input);
            Object sinkLock = new Object();
            OutputPump.start(
                    "ssh-session-out-" + host(),
                    channel.getInputStream(),
                    OutputSink.Stream.STDOUT,
                    opened::line,
                    sinkLock);
            OutputPump.start(
                    "ssh-session-err-" + host(),
                    channel.getErrStream(),
                    OutputSink.Stream.STDERR,
                    opened::line,
                    sinkLock);
            channel.connect(millis(channelTimeout));
            scripts = opened;
            return Optional.of(opened);
        } catch (JSchException | IOException e) {
            channel.disconnect();
            throw lost("could not start the script session", e);
        }
    }

    /** The kept command's channel, with its output routed to whoever runs a script on it now. */
    private static final class SshSession implements HostSession {
        private final String command;
        private final ChannelExec channel;
        private final OutputStream input;
        private volatile OutputSink sink = OutputSink.DISCARD;

        SshSession(String command, ChannelExec channel, OutputStream input) {
            this.command = command;
            this.channel = channel;
            this.input = input;
        }

        void line(OutputSink.Stream stream, String line) {
            sink.line(stream, line);
        }

        @Override
        public OutputStream input() {
            return input;
        }

        @Override
        public void route(OutputSink sink) {
            this.sink = sink;
        }

        @Override
        public boolean isOpen() {
            return !channel.isClosed() && channel.isConnected() && channel.getExitStatus() == -1;
        }

        @Override
        public void close() {
            abandon(channel);
        }
    }

    @Override
    public Tunnel forward(String targetHost, int targetPort) throws TransportException {
        int local;
        try {
            local = session.setPortForwardingL("127.0.0.1", 0, targetHost, targetPort);
        } catch (JSchException e) {
            throw lost("could not forward a local port to " + targetHost + ":" + targetPort, e);
        }
        return new Tunnel() {
            @Override
            public int localPort() {
                return local;
            }

            @Override
            public void close() {
                try {
                    session.delPortForwardingL("127.0.0.1", local);
                } catch (JSchException ignored) {
                    // The session is already gone, and the forwarding with it.
                }
            }
        };
    }

    private ChannelExec openExec(String command) throws TransportException {
        try {
            ChannelExec channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            return channel;
        } catch (JSchException e) {
            throw lost("could not open a channel", e);
        }
    }

    /**
     * Waits until the channel closes, or the command has exited and its output is drained. A command that
     * leaves a background process holding its output open still returns, {@link #DRAIN_MILLIS} after exiting.
     *
     * @return when the command was seen to end ({@link System#nanoTime()})
     */
    private long awaitExit(ChannelExec channel, Duration timeout, OutputPump out, OutputPump err)
            throws TransportException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long exitedAt = 0;
        while (!channel.isClosed()) {
            if (!session.isConnected()) {
                throw lost("the connection broke while a command was running", null);
            }
            if (channel.getExitStatus() != -1) {
                exitedAt = exitedAt == 0 ? System.nanoTime() : exitedAt;
                boolean drained = out.finished() && err.finished();
                if (drained || System.nanoTime() - exitedAt > DRAIN_MILLIS * 1_000_000) {
                    return exitedAt;
                }
            } else if (System.nanoTime() > deadline) {
                abandon(channel);
                throw new TransportException.CommandTimedOut(
                        host(),
                        "host " + endpoint.label() + ": the command did not finish within " + describe(timeout)
                                + " and was abandoned");
            }
            Thread.sleep(POLL_MILLIS);
        }
        return exitedAt == 0 ? System.nanoTime() : exitedAt;
    }

    private static long millisUntil(long nanoTime) {
        return Math.max(1, (nanoTime - System.nanoTime()) / 1_000_000);
    }

    /** Asks the server to kill the command (honoured by OpenSSH 7.9 and later), then drops the channel. */
    private static void abandon(ChannelExec channel) {
        try {
            channel.sendSignal("KILL");
        } catch (Exception ignored) {
            // Best effort: closing the channel below is what frees this connection.
        }
        channel.disconnect();
    }

    private int exitStatus(ChannelExec channel) throws TransportException, InterruptedException {
        int status = channel.getExitStatus();
        if (status != -1) {
            return status;
        }
        // No exit status: either the session died (JSch closes channels before it marks the session down),
        // or the command was killed by a signal.
        long settleUntil = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
        while (System.nanoTime() < settleUntil) {
            if (!session.isConnected()) {
                throw lost("the connection broke while a command was running", null);
            }
            Thread.sleep(POLL_MILLIS);
        }
        return KILLED_BY_SIGNAL;
    }

    @Override
    public synchronized void upload(Path local, String remotePath) throws TransportException {
        ChannelSftp sftp;
        try {
            sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect(millis(channelTimeout));
        } catch (JSchException e) {
            throw lost("could not open an SFTP channel", e);
        }
        try {
            sftp.put(local.toString(), remotePath);
        } catch (SftpException e) {
            if (!session.isConnected()) {
                throw lost("the connection broke while uploading " + local, e);
            }
            throw new TransportException.HostUnreachable(
                    host(),
                    "host " + endpoint.label() + ": cannot upload " + local + " to " + remotePath + ": "
                            + e.getMessage(),
                    e);
        } finally {
            sftp.disconnect();
        }
    }

    @Override
    public void close() {
        SshSession kept = scripts;
        if (kept != null) {
            kept.close();
        }
        session.disconnect();
    }

    private TransportException.HostUnreachable lost(String what, Exception cause) {
        String reason = cause == null ? "" : ": " + cause.getMessage();
        return new TransportException.HostUnreachable(
                host(), "host " + endpoint.label() + " is unreachable: " + what + reason, cause);
    }

    private static String describe(Duration timeout) {
        long millis = timeout.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
