package org.cnx.conveyor.migrate;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.migrate.engine.PythonRunner;
import org.cnx.conveyor.transport.Connector;
import org.cnx.conveyor.transport.HostConnection;
import org.cnx.conveyor.transport.Shell;
import org.cnx.conveyor.transport.TransportException;

/**
 * Runs db-migrator's Python on one of the environment's hosts, reached like every other step: over SSH as the host's
 * user, or in the sandbox as the environment's own uid. One connection serves every step of a job.
 */
final class HostPython implements PythonRunner {

    private final Connector connector;
    private final Connector.SecretLookup secrets;
    private final Host host;
    private final String interpreter;
    private final Duration timeout;
    private HostConnection connection;

    HostPython(Connector connector, Connector.SecretLookup secrets, Host host, String interpreter, Duration timeout) {
        this.connector = connector;
        this.secrets = secrets;
        this.host = host;
        this.interpreter = interpreter;
        this.timeout = timeout;
    }

    @Override
    public synchronized int run(byte[] stdin, Consumer<String> lines) throws IOException {
        try {
            if (connection == null) {
                connection = connector.connect(host.endpoint(), secrets);
            }
            return connection.exec(
                    Shell.quote(interpreter) + " -c " + Shell.quote(BOOTSTRAP),
                    stdin,
                    timeout,
                    (stream, line) -> lines.accept(line));
        } catch (TransportException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public String where() {
        return "host " + host.name() + " (" + interpreter + ")";
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
