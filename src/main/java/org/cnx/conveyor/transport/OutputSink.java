package org.cnx.conveyor.transport;

/** Receives a command's output, one line at a time, as it is produced. */
@FunctionalInterface
public interface OutputSink {

    /** Which output a line came from. */
    enum Stream {
        STDOUT,
        STDERR
    }

    OutputSink DISCARD = (stream, line) -> {};

    void line(Stream stream, String line);
}
