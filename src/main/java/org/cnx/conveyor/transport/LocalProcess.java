package org.cnx.conveyor.transport;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one process on Conveyor's machine, streaming its output: what local and sandboxed connections share. */
final class LocalProcess {

    private static final File NO_INPUT = new File("/dev/null");

    private LocalProcess() {}

    /** What a process reads: a file, what a feeder writes to its standard input, or nothing. */
    record Input(File file, InputFeeder feeder) {
        static final Input NONE = new Input(NO_INPUT, null);

        static Input of(File file) {
            return file == null ? NONE : new Input(file, null);
        }

        static Input of(InputFeeder feeder) {
            return feeder == null ? NONE : new Input(null, feeder);
        }
    }

    /**
     * Runs {@code argv} with {@code stdin} as its input (empty when null) and returns its exit code.
     *
     * @param environment replaces the inherited environment when not null
     */
    static int run(
            String host,
            List<String> argv,
            Map<String, String> environment,
            Input stdin,
            Duration timeout,
            OutputSink sink)
            throws TransportException {
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(
                        stdin.feeder() == null
                                ? ProcessBuilder.Redirect.from(stdin.file())
                                : ProcessBuilder.Redirect.PIPE);
        if (environment != null) {
            builder.environment().clear();
            builder.environment().putAll(environment);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new TransportException.HostUnreachable(
                    host, "cannot start " + argv.get(0) + ": " + e.getMessage(), e);
        }
        Thread feeder = stdin.feeder() == null
                ? null
                : InputFeeder.start("local-stdin", stdin.feeder(), process.getOutputStream());
        Object sinkLock = new Object();
        OutputPump out =
                OutputPump.start("local-stdout", process.getInputStream(), OutputSink.Stream.STDOUT, sink, sinkLock);
        OutputPump err =
                OutputPump.start("local-stderr", process.getErrorStream(), OutputSink.Stream.STDERR, sink, sinkLock);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new TransportException.CommandTimedOut(
                        host, "did not finish within " + timeout.toSeconds() + " s");
            }
            // Background services started by the command may keep the pipes open: give the readers a moment only.
            out.await(2000);
            err.await(2000);
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TransportException.HostUnreachable(host, "interrupted", e);
        } finally {
            if (feeder != null) {
                feeder.interrupt();
            }
        }
    }
}
