package org.cnx.conveyor.transport;

import java.util.Optional;

/** Opens connections to the hosts of an environment. */
public interface Connector {

    /**
     * Connects to {@code endpoint}; for ssh, verifies its host key and authenticates with its key first.
     *
     * @param secrets resolves the {@code ${secret:NAME}} reference of the host's key to the key's text
     */
    HostConnection connect(Endpoint endpoint, SecretLookup secrets) throws TransportException;

    /** Resolves a secret name to its value. */
    @FunctionalInterface
    interface SecretLookup {
        Optional<String> value(String name);
    }
}
