package org.cnx.conveyor.transport;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a running command's standard input, on a thread of its own, while the command's output is read: how a phase
 * script and the artifacts it asks for reach a host over the one exec that runs the script. The stream is closed
 * after {@link #feed} returns; the feeding thread is interrupted once the command has ended.
 */
@FunctionalInterface
public interface InputFeeder {

    void feed(OutputStream stdin) throws IOException, InterruptedException;

    /** Feeds fixed bytes, then closes the input. */
    static InputFeeder of(byte[] bytes) {
        return stdin -> stdin.write(bytes);
    }

    /** Runs {@code feeder} on a daemon thread, closing {@code stdin} when it is done (or fails). */
    static Thread start(String name, InputFeeder feeder, OutputStream stdin) {
        Thread thread = new Thread(
                () -> {
                    try (stdin) {
                        feeder.feed(stdin);
                        stdin.flush();
                    } catch (IOException ignored) {
                        // The command ended or the connection broke before reading all of it; its exit tells.
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
