package org.cnx.conveyor.support;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.cnx.conveyor.transport.Connector;
import org.cnx.conveyor.transport.HostKeyFingerprint;

/** SSH user keys for tests, and the fingerprints of host keys. */
public final class TestKeys {

    private static UserKey deployKey;

    private TestKeys() {}

    /** A user key: the private key text as a secret holds it, and the line that authorizes it on a host. */
    public record UserKey(String privateKey, String authorizedKeysLine) {

        /** A secret store holding only this key, under {@code secretName}. */
        public Connector.SecretLookup asSecret(String secretName) {
            return name -> name.equals(secretName) ? Optional.of(privateKey) : Optional.empty();
        }

        /** A secret store holding this key under {@code secretName} next to other secrets. */
        public Connector.SecretLookup asSecret(String secretName, Map<String, String> others) {
            return name -> name.equals(secretName) ? Optional.of(privateKey) : Optional.ofNullable(others.get(name));
        }
    }

    /** The key every test host accepts unless told otherwise; the same for the whole test run. */
    public static synchronized UserKey deployKey() {
        if (deployKey == null) {
            deployKey = ed25519("conveyor-test-deploy");
        }
        return deployKey;
    }

    /** A fresh ed25519 key, its private half in OpenSSH format ({@code BEGIN OPENSSH PRIVATE KEY}). */
    public static UserKey ed25519(String comment) {
        return generate(KeyPair.ED25519, 256, comment, true);
    }

    /** A fresh 3072-bit RSA key, its private half in PEM format ({@code BEGIN RSA PRIVATE KEY}). */
    public static UserKey rsa(String comment) {
        return generate(KeyPair.RSA, 3072, comment, false);
    }

    /** The OpenSSH fingerprint ({@code SHA256:…}) of a public key line such as {@code ssh-ed25519 AAAA… comment}. */
    public static String fingerprintOfLine(String publicKeyLine) {
        String[] fields = publicKeyLine.trim().split("\\s+");
        if (fields.length < 2) {
            throw new IllegalArgumentException("not a public key line: " + publicKeyLine);
        }
        return HostKeyFingerprint.ofBase64(fields[1]);
    }

    private static UserKey generate(int type, int bits, String comment, boolean openSshFormat) {
        try {
            KeyPair pair = KeyPair.genKeyPair(new JSch(), type, bits);
            ByteArrayOutputStream privateKey = new ByteArrayOutputStream();
            if (openSshFormat) {
                pair.writeOpenSSHv1PrivateKey(privateKey, null);
            } else {
                pair.writePrivateKey(privateKey);
            }
            ByteArrayOutputStream publicKey = new ByteArrayOutputStream();
            pair.writePublicKey(publicKey, comment);
            pair.dispose();
            return new UserKey(
                    privateKey.toString(StandardCharsets.US_ASCII),
                    publicKey.toString(StandardCharsets.US_ASCII).trim());
        } catch (JSchException e) {
            throw new IllegalStateException("cannot generate a test key", e);
        }
    }
}
