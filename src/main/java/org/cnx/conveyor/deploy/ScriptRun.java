package org.cnx.conveyor.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cnx.conveyor.job.LeaseLost;
import org.cnx.conveyor.transport.HostConnection;
import org.cnx.conveyor.transport.HostSession;
import org.cnx.conveyor.transport.OutputSink;
import org.cnx.conveyor.transport.TransportException;

/**
 * Runs a {@link PhaseScript} on a host: over the connection's kept script session where it has one (SSH), else over
 * one command. Sends the script, then each input a step asks for ({@code need}), hands every {@link StepMarker} to its
 * step's {@link StepListener} as it arrives (so the journal follows the host step by step) and every other line to the
 * job log. Steps the script never reached are told so after it ended.
 */
final class ScriptRun {

    /** What happens to one step, as its markers arrive. Called on the thread reading the host's output. */
    interface StepListener {

        default void begun() {}

        default void answered(List<String> words) {}

        /** The step ended with {@code exit} (0: done). */
        void ended(int exit);

        /**
         * The step never ended: {@code mayHaveBegun} false when it surely did not run (an earlier step stopped the
         * script, or the script never reached the host); true when the host began it or may have (the connection broke
         * after the script was sent: the host can be ahead of the markers that arrived).
         */
        void unfinished(boolean mayHaveBegun, String why);
    }

    private ScriptRun() {}

    /**
     * Runs the script; {@code inputs} are the files steps may ask for, by step number.
     *
     * @return the exec's exit status
     * @throws TransportException when the host is lost or the exec times out (listeners of unfinished steps are told
     *     first)
     */
    static int run(
            HostConnection connection,
            PhaseScript script,
            Map<Integer, Path> inputs,
            Map<Integer, StepListener> listeners,
            OutputSink output)
            throws TransportException {
        Reading reading = new Reading(script, listeners, output);
        Optional<HostSession> session = connection.session(PhaseScript.SESSION);
        if (session.isPresent()) {
            return overSession(connection.host(), session.get(), script, inputs, reading);
        }
        AtomicBoolean sent = new AtomicBoolean();
        int exit;
        try {
            exit = connection.exec(
                    script.command(),
                    stdin -> {
                        sent.set(true);
                        feed(stdin, script.bytes(), inputs, reading.needs);
                    },
                    script.timeout(),
                    reading);
        } catch (TransportException e) {
            throw reading.lost(sent.get(), e);
        }
        return reading.finish(connection.host(), exit);
    }

    /**
     * Runs the script on the connection's kept session: header and script written, inputs sent as steps ask, until the
     * session prints the script's {@code exit}. Past the script's timeout, or when the session breaks, the session is
     * closed (the next script starts a new one) and the host's steps are treated as with a broken command.
     */
    private static int overSession(
            String host, HostSession session, PhaseScript script, Map<Integer, Path> inputs, Reading reading)
            throws TransportException {
        session.route(reading);
        long deadline = System.nanoTime() + script.timeout().toNanos();
        try {
            OutputStream in = session.input();
            in.write(script.header().getBytes(StandardCharsets.UTF_8));
            in.write(script.bytes());
            in.flush();
            while (!reading.exit.isDone()) {
                Integer need = reading.needs.poll(50, TimeUnit.MILLISECONDS);
                if (need != null && inputs.containsKey(need)) {
                    Files.copy(inputs.get(need), in);
                    in.flush();
                } else if (!reading.exit.isDone() && !session.isOpen()) {
                    throw new IOException("the script session ended");
                } else if (System.nanoTime() > deadline) {
                    session.close();
                    throw reading.lost(
                            true,
                            new TransportException.CommandTimedOut(
                                    host,
                                    "host " + host + ": the script did not finish within "
                                            + script.timeout().toSeconds() + " s and was abandoned"));
                }
            }
            if (reading.leaseLost != null) {
                session.close();
            }
            return reading.finish(host, reading.exit.get());
        } catch (IOException | ExecutionException e) {
            session.close();
            throw reading.lost(
                    true,
                    new TransportException.HostUnreachable(
                            host, "host " + host + " is unreachable: the connection broke while a script ran", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.close();
            throw reading.lost(
                    true,
                    new TransportException.HostUnreachable(
                            host, "host " + host + ": interrupted while a script ran; its outcome is unknown", e));
        }
    }

    /** Reads a script's output: markers to listeners, the rest to the log; what has begun and ended. */
    private static final class Reading implements OutputSink {
        private final PhaseScript script;
        private final Map<Integer, StepListener> listeners;
        private final OutputSink output;
        /** Steps that asked for their input, in order; {@link #NO_STEP} when the script has ended. */
        final BlockingQueue<Integer> needs = new LinkedBlockingQueue<>();

        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private final Set<Integer> begun = ConcurrentHashMap.newKeySet();
        private final Set<Integer> ended = ConcurrentHashMap.newKeySet();
        private volatile String protocolError;
        private volatile LeaseLost leaseLost;

        Reading(PhaseScript script, Map<Integer, StepListener> listeners, OutputSink output) {
            this.script = script;
            this.listeners = listeners;
            this.output = output;
        }

        @Override
        public void line(Stream stream, String line) {
            if (stream == OutputSink.Stream.STDERR) {
                output.line(stream, line);
                return;
            }
            StepMarker.Line read;
            try {
                read = StepMarker.parse(line, script.nonce());
            } catch (IllegalStateException e) {
                protocolError = protocolError == null ? e.getMessage() : protocolError;
                return;
            }
            if (!read.output().isEmpty() || read.marker().isEmpty()) {
                output.line(stream, read.output());
            }
            read.marker().ifPresent(this::marker);
        }

        private void marker(StepMarker marker) {
            if (leaseLost != null) {
                return;
            }
            try {
                tell(marker);
            } catch (LeaseLost e) {
                // Fenced: nothing more is journaled; the waiting thread stops at once instead of at the timeout.
                leaseLost = e;
                exited(-1);
            }
        }

        private void tell(StepMarker marker) {
            StepListener listener = listeners.getOrDefault(marker.step(), NONE);
            if (marker instanceof StepMarker.Begin) {
                begun.add(marker.step());
                listener.begun();
            } else if (marker instanceof StepMarker.Answer answer) {
                listener.answered(answer.words());
            } else if (marker instanceof StepMarker.Need) {
                needs.add(marker.step());
            } else if (marker instanceof StepMarker.End end) {
                ended.add(end.step());
                listener.ended(end.exit());
            } else if (marker instanceof StepMarker.Exit done) {
                exited(done.status());
            }
        }

        /** The script's end: the thread waiting on {@link #needs} wakes at once, not at its next poll. */
        private void exited(int status) {
            exit.complete(status);
            needs.add(NO_STEP);
        }

        /** After the script ended with {@code status}: steps it never reached are told so. */
        int finish(String host, int status) throws TransportException {
            if (leaseLost != null) {
                throw leaseLost;
            }
            if (protocolError != null) {
                tellUnfinished(protocolError);
                throw new TransportException.CommandFailed(host, status, protocolError);
            }
            tellUnfinished("the script ended with status " + status + " before it");
            return status;
        }

        /** The command or session broke: once the script was sent, the host may be ahead of what it reported. */
        TransportException lost(boolean sent, TransportException e) {
            if (leaseLost != null) {
                throw leaseLost;
            }
            if (sent) {
                script.steps().forEach(step -> begun.add(step.number()));
            }
            tellUnfinished(e.getMessage());
            return e;
        }

        private void tellUnfinished(String why) {
            for (PhaseScript.Step step : script.steps()) {
                if (ended.add(step.number())) {
                    listeners.getOrDefault(step.number(), NONE).unfinished(begun.contains(step.number()), why);
                }
            }
        }
    }

    private static void feed(OutputStream stdin, byte[] script, Map<Integer, Path> inputs, BlockingQueue<Integer> needs)
            throws IOException, InterruptedException {
        stdin.write(script);
        stdin.flush();
        if (inputs.isEmpty()) {
            return;
        }
        // Kept open while the script runs: a step that needs its input says so, and reads exactly its size.
        for (int step = needs.take(); step != NO_STEP; step = needs.take()) {
            Path input = inputs.get(step);
            if (input != null) {
                Files.copy(input, stdin);
                stdin.flush();
            }
        }
    }

    /** Put on a script's {@code needs} when it ends: no step has this number. */
    private static final int NO_STEP = 0;

    private static final StepListener NONE = new StepListener() {
        @Override
        public void ended(int exit) {}

        @Override
        public void unfinished(boolean mayHaveBegun, String why) {}
    };
}
