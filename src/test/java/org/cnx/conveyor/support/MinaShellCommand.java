package org.cnx.conveyor.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * Runs an exec request's whole command string with {@code /bin/sh -c}, like a login shell on a real host would.
 *
 * <p>MINA's own {@code ProcessShellCommandFactory} splits the command on spaces and runs the first word as a
 * program, so {@code cd x && env A=b sh -c '…'} would not work there.
 */
final class MinaShellCommand implements Command {

    // A background process that keeps the output open must not hold the channel for ever.
    private static final long OUTPUT_GRACE_MILLIS = 3000;

    private final String command;
    private final Path workDir;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;

    MinaShellCommand(String command, Path workDir) {
        this.command = command;
        this.workDir = workDir;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback exit) {
        this.exit = exit;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        Process started = new ProcessBuilder("/bin/sh", "-c", command)
                .directory(workDir.toFile())
                .start();
        process = started;
        copy("stdin", in, started.getOutputStream());
        Thread stdout = copy("stdout", started.getInputStream(), out);
        Thread stderr = copy("stderr", started.getErrorStream(), err);
        Thread waiter = new Thread(
                () -> {
                    try {
                        int status = started.waitFor();
                        stdout.join(OUTPUT_GRACE_MILLIS);
                        stderr.join(OUTPUT_GRACE_MILLIS);
                        exit.onExit(status);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "mina-exec-wait");
        waiter.setDaemon(true);
        waiter.start();
    }

    /** Copies until end of input, then closes the destination (which is how the command sees stdin's end). */
    private static Thread copy(String name, InputStream from, OutputStream to) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[8192];
                    try (from;
                            to) {
                        int read;
                        while ((read = from.read(buffer)) >= 0) {
                            to.write(buffer, 0, read);
                            to.flush();
                        }
                    } catch (IOException ignored) {
                        // The channel or the process went away.
                    }
                },
                "mina-exec-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void destroy(ChannelSession channel) {
        Process running = process;
        if (running != null && running.isAlive()) {
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
        }
    }
}
