package org.cnx.conveyor.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Host key fingerprints as OpenSSH prints them: {@code SHA256:} and the unpadded base64 of the key blob's SHA-256. */
public final class HostKeyFingerprint {

    private HostKeyFingerprint() {}

    /** The fingerprint of a public key in SSH wire format (the blob that known_hosts holds in base64). */
    public static String of(byte[] keyBlob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The fingerprint of a key given as known_hosts and authorized_keys write it: base64 of the blob. */
    public static String ofBase64(String keyBase64) {
        return of(Base64.getDecoder().decode(keyBase64));
    }

    /** The algorithm name at the start of a key blob, e.g. {@code ssh-ed25519}. */
    static String type(byte[] keyBlob) {
        ByteBuffer blob = ByteBuffer.wrap(keyBlob);
        if (blob.remaining() < 4) {
            return "unknown";
        }
        int length = blob.getInt();
        if (length < 0 || length > blob.remaining()) {
            return "unknown";
        }
        return new String(keyBlob, 4, length, StandardCharsets.US_ASCII);
    }
}
