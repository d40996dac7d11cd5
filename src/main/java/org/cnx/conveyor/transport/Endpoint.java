package org.cnx.conveyor.transport;

import java.nio.file.Path;

/** How one host is reached: the value a {@link Connector} takes, read from a host definition by its owner. */
public sealed interface Endpoint permits Endpoint.Local, Endpoint.Sandbox, SshEndpoint {

    /** The host's name in the environment definition; every error message starts with it. */
    String host();

    /** Processes on Conveyor's machine, as Conveyor's own user: for environments only admins deploy. */
    record Local(String host) implements Endpoint {}

    /** Processes on Conveyor's machine in the sandbox of the environment whose folder is {@code root} (absolute). */
    record Sandbox(String host, Path root) implements Endpoint {}
}
