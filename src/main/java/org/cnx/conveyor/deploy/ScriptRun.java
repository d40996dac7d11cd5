package org.cnx.conveyor.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cnx.conveyor.transport.HostConnection;
import org.cnx.conveyor.transport.OutputSink;
import org.cnx.conveyor.transport.TransportException;

/**
 * Runs a {@link PhaseScript} over one exec: sends the script, then each input a step asks for ({@code need}), hands
 * every {@link StepMarker} to its step's {@link StepListener} as it arrives (so the journal follows the host step by
 * step) and every other line to the job log. Steps the script never reached are told so after the exec.
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
        BlockingQueue<Integer> needs = new LinkedBlockingQueue<>();
        Set<Integer> begun = new HashSet<>();
        Set<Integer> ended = new HashSet<>();
        Map<String, String> protocolErrors = new HashMap<>();
        OutputSink reader = (stream, line) -> {
            if (stream == OutputSink.Stream.STDERR) {
                output.line(stream, line);
                return;
            }
            StepMarker.Line read;
            try {
                read = StepMarker.parse(line, script.nonce());
            } catch (IllegalStateException e) {
                protocolErrors.putIfAbsent("marker", e.getMessage());
                return;
            }
            if (!read.output().isEmpty() || read.marker().isEmpty()) {
                output.line(stream, read.output());
            }
            read.marker().ifPresent(marker -> {
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
                }
            });
        };
        AtomicBoolean sent = new AtomicBoolean();
        int exit;
        try {
            exit = connection.exec(
                    script.command(),
                    stdin -> {
                        sent.set(true);
                        feed(stdin, script.bytes(), inputs, needs);
                    },
                    script.timeout(),
                    reader);
        } catch (TransportException e) {
            if (sent.get()) {
                // Whatever the host got to, it may have done more than it could report.
                script.steps().forEach(step -> begun.add(step.number()));
            }
            tellUnfinished(script, listeners, begun, ended, e.getMessage());
            throw e;
        }
        if (!protocolErrors.isEmpty()) {
            tellUnfinished(script, listeners, begun, ended, protocolErrors.get("marker"));
            throw new TransportException.CommandFailed(connection.host(), exit, protocolErrors.get("marker"));
        }
        tellUnfinished(script, listeners, begun, ended, "the script ended with status " + exit + " before it");
        return exit;
    }

    private static void feed(OutputStream stdin, byte[] script, Map<Integer, Path> inputs, BlockingQueue<Integer> needs)
            throws IOException, InterruptedException {
        stdin.write(script);
        stdin.flush();
        if (inputs.isEmpty()) {
            return;
        }
        // Kept open while the script runs: a step that needs its input says so, and reads exactly its size.
        while (true) {
            Path input = inputs.get(needs.take());
            if (input != null) {
                Files.copy(input, stdin);
                stdin.flush();
            }
        }
    }

    private static void tellUnfinished(
            PhaseScript script,
            Map<Integer, StepListener> listeners,
            Set<Integer> begun,
            Set<Integer> ended,
            String why) {
        for (PhaseScript.Step step : script.steps()) {
            if (!ended.contains(step.number())) {
                ended.add(step.number());
                listeners.getOrDefault(step.number(), NONE).unfinished(begun.contains(step.number()), why);
            }
        }
    }

    private static final StepListener NONE = new StepListener() {
        @Override
        public void ended(int exit) {}

        @Override
        public void unfinished(boolean mayHaveBegun, String why) {}
    };
}
