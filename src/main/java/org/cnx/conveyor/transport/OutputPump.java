package org.cnx.conveyor.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads one output stream of a running command line by line and hands each line to the sink as it arrives. */
final class OutputPump {

    private final Thread thread;

    private OutputPump(Thread thread) {
        this.thread = thread;
    }

    /**
     * Starts reading {@code stream} on its own thread. Calls to {@code sink} are made while holding {@code sinkLock},
     * so a sink shared by stdout and stderr never sees two lines at once.
     */
    static OutputPump start(String name, InputStream stream, OutputSink.Stream kind, OutputSink sink, Object sinkLock) {
        Thread thread = new Thread(
                () -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            synchronized (sinkLock) {
                                sink.line(kind, line);
                            }
                        }
                    } catch (IOException ignored) {
                        // The channel was closed under us: the command ended, timed out or the host went away.
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
        return new OutputPump(thread);
    }

    /** True once the stream has ended and every line has been handed over. */
    boolean finished() {
        return !thread.isAlive();
    }

    /** Waits up to {@code millis} for the stream to end. */
    void await(long millis) throws InterruptedException {
        thread.join(millis);
    }
}
