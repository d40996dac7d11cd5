package org.cnx.conveyor.transport;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;

/** The application's {@link Connector}: picks the transport each host definition names. */
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
    public HostConnection connect(Host host, SecretLookup secrets) throws TransportException {
        return switch (host.transport()) {
            case LOCAL -> new LocalConnection(host.name());
            case SANDBOX -> sandbox.connect(host);
            case SSH -> ssh.connect(host, secrets);
        };
    }
}
