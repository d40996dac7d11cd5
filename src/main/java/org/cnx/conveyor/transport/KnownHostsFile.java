package org.cnx.conveyor.transport;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Collectors;

/** Accepts a host key only when an OpenSSH known_hosts file lists it for the host's address and port. */
final class KnownHostsFile extends HostKeyVerifier {

    private final SshEndpoint endpoint;
    private final String path;
    private final HostKeyRepository file;

    /** @param file JSch's reading of the known_hosts file at {@code path} */
    KnownHostsFile(SshEndpoint endpoint, String path, HostKeyRepository file) {
        this.endpoint = endpoint;
        this.path = path;
        this.file = file;
    }

    @Override
    public int check(String host, byte[] key) {
        int verdict = file.check(host, key);
        if (verdict == OK) {
            return OK;
        }
        String presented = HostKeyFingerprint.of(key);
        if (verdict == NOT_INCLUDED) {
            return reject(
                    verdict,
                    "host " + endpoint.label() + " is not in " + path + "; its key is " + presented
                            + "; if that is the right key, add it with ssh-keyscan");
        }
        return reject(
                verdict,
                "host " + endpoint.label() + " presented host key " + presented + ", but " + path
                        + " lists " + listed(host, HostKeyFingerprint.type(key)) + " for " + host
                        + "; if the host was rebuilt, update its line in that file");
    }

    /** The fingerprints the file holds for the host, preferring keys of the presented key's type. */
    private String listed(String host, String type) {
        HostKey[] keys = file.getHostKey(host, null);
        HostKey[] sameType =
                Arrays.stream(keys).filter(key -> key.getType().equals(type)).toArray(HostKey[]::new);
        return Arrays.stream(sameType.length > 0 ? sameType : keys)
                .map(key -> HostKeyFingerprint.of(Base64.getDecoder().decode(key.getKey())))
                .distinct()
                .collect(Collectors.joining(" and "));
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return path;
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        // Lets JSch ask the server for a key type the file lists, as OpenSSH does.
        return file.getHostKey(host, type);
    }
}
