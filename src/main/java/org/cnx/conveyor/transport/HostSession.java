package org.cnx.conveyor.transport;

import java.io.OutputStream;

/**
 * A command kept running on a host for as long as its connection is open, written to and read from over that time:
 * how an SSH host runs one phase script after another (across jobs, while the connection is kept) without starting a
 * command, and so the login user's shell, for each.
 */
public interface HostSession extends AutoCloseable {

    /** The command's standard input. */
    OutputStream input();

    /** Sends the command's output lines to {@code sink} from now on (each line goes to the sink set when it arrives). */
    void route(OutputSink sink);

    /** False once the command has ended or its channel or connection broke. */
    boolean isOpen();

    /** Ends the command (a signal, then the channel is dropped). */
    @Override
    void close();
}
