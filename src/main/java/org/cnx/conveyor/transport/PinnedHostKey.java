package org.cnx.conveyor.transport;

import com.jcraft.jsch.HostKey;

/** Accepts exactly the host key whose fingerprint the host definition pins ({@code hostKey: SHA256:…}). */
final class PinnedHostKey extends HostKeyVerifier {

    private final SshEndpoint endpoint;
    private final String pinned;

    PinnedHostKey(SshEndpoint endpoint, String pinnedFingerprint) {
        this.endpoint = endpoint;
        this.pinned = pinnedFingerprint;
    }

    @Override
    public int check(String host, byte[] key) {
        String presented = HostKeyFingerprint.of(key);
        if (presented.equals(pinned)) {
            return OK;
        }
        return reject(
                CHANGED,
                "host " + endpoint.label() + " presented host key " + presented
                        + ", but the definition pins " + pinned
                        + "; if the host was rebuilt, update hostKey in its definition");
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return "hostKey of host " + endpoint.host();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        // A fingerprint does not say which key type it belongs to, so JSch keeps its own preference order.
        return new HostKey[0];
    }
}
