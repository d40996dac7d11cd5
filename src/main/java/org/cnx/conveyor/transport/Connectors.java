package org.cnx.conveyor.transport;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The application's {@link Connector}: picks the transport of each endpoint. */
// Kept even before anything injects it, so that its SshConfig is registered and conveyor.ssh.* keys are valid.
@Unremovable
@ApplicationScoped
public class Connectors implements Connector {

    private final SshConnector ssh;
    private final SandboxConnector sandbox;

    @Inject
    public Connectors(SshConfig config, SandboxConfig sandboxConfig) {
        this(config, new SandboxConnector(sandboxConfig));
    }

    Connectors(SshConfig config, SandboxConnector sandbox) {
        this.ssh = new SshConnector(config.connectTimeout(), config.keepAliveInterval());
        this.sandbox = sandbox;
    }

    @Override
    public HostConnection connect(Endpoint endpoint, SecretLookup secrets) throws TransportException {
        if (endpoint instanceof SshEndpoint remote) {
            return ssh.connect(remote, secrets);
        }
        if (endpoint instanceof Endpoint.Sandbox sandboxed) {
            return sandbox.connect(sandboxed);
        }
        return new LocalConnection(endpoint.host());
    }
}
