package org.cnx.conveyor.transport;

/** A local end ({@code 127.0.0.1:localPort}) that reaches {@code host:port} as seen from a remote host; close to stop. */
public interface Tunnel extends AutoCloseable {

    int localPort();

    @Override
    void close();
}
