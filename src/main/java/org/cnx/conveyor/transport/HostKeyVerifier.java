package org.cnx.conveyor.transport;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.UserInfo;
import java.util.Optional;

/**
 * Decides whether a host's key is the expected one, and remembers why it was not.
 *
 * <p>JSch only says "reject HostKey"; the verifier keeps the message that names the host and both
 * fingerprints so the connector can report it. It never learns keys: {@link #add} and {@link #remove}
 * do nothing, because nothing should be trusted on first use.
 */
abstract class HostKeyVerifier implements HostKeyRepository {

    private volatile String rejection;

    /** Why the last presented key was refused, if it was. */
    Optional<String> rejection() {
        return Optional.ofNullable(rejection);
    }

    /** Records the refusal and returns {@code verdict} (not {@link #OK}) for JSch. */
    protected int reject(int verdict, String message) {
        rejection = message;
        return verdict;
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // Keys are pinned in the definition or maintained in known_hosts by people, never learnt here.
    }

    @Override
    public void remove(String host, String type) {}

    @Override
    public void remove(String host, String type, byte[] key) {}

    @Override
    public HostKey[] getHostKey() {
        return new HostKey[0];
    }
}
