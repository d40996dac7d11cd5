package org.cnx.conveyor.secret;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.cnx.conveyor.common.ConveyorConfig;
import org.cnx.conveyor.common.DataDirectory;

/**
 * AES-256-GCM with the master key from {@code CONVEYOR_MASTER_KEY}, or one generated once into
 * {@code <data dir>/master.key}. The secret's name is bound in as associated data, so a ciphertext
 * copied onto another secret's row does not decrypt.
 */
@ApplicationScoped
public class SecretCipher {

    /** The sealed form of one value. */
    public record Sealed(byte[] nonce, byte[] ciphertext) {}

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    SecretCipher(ConveyorConfig config) {
        this.key = new SecretKeySpec(
                config.masterKey().map(SecretCipher::decodeKey).orElseGet(SecretCipher::keyFromDataDir), "AES");
    }

    public Sealed seal(String name, String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            return new Sealed(nonce, cipher.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt secret " + name, e);
        }
    }

    public String open(String name, Sealed sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt secret " + name + ": was the master key changed?", e);
        }
    }

    /**
     * A value derived from the master key for one purpose (HMAC-SHA256, hex): the same on every start, different for
     * every purpose, and not computable without the key.
     */
    public String derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return HexFormat.of()
                    .formatHex(mac.doFinal(("conveyor-derived:" + purpose).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive a value for " + purpose, e);
        }
    }

    private static byte[] decodeKey(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "CONVEYOR_MASTER_KEY: expected base64 of 32 bytes, found something that is not base64");
        }
        if (key.length != 32) {
            throw new IllegalStateException(
                    "CONVEYOR_MASTER_KEY: expected base64 of 32 bytes, found " + key.length + " bytes");
        }
        return key;
    }

    private static byte[] keyFromDataDir() {
        Path file = DataDirectory.resolve().resolve("master.key");
        try {
            if (Files.exists(file)) {
                return decodeKey(Files.readString(file));
            }
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            Files.createDirectories(file.getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key " + file, e);
        }
    }
}
