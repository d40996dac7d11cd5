package org.cnx.conveyor.environment.inventory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decrypts Ansible Vault 1.1 and 1.2 files ({@code $ANSIBLE_VAULT;1.1;AES256}): PBKDF2-HMAC-SHA256 key material, an
 * HMAC-SHA256 checked before anything is decrypted, then AES-256-CTR and PKCS#7 padding.
 */
public final class AnsibleVault {

    /** The first characters of every vault file. */
    public static final String HEADER = "$ANSIBLE_VAULT;";

    private static final int ITERATIONS = 10_000;
    private static final int KEY_LENGTH = 32;
    private static final int IV_LENGTH = 16;
    private static final int BLOCK = 16;

    private AnsibleVault() {}

    /** A vault that cannot be decrypted; the message never contains the password nor any decrypted byte. */
    public static final class VaultException extends RuntimeException {
        VaultException(String message) {
            super(message);
        }
    }

    /** Whether {@code text} is a whole vault-encrypted file. */
    public static boolean isEncrypted(String text) {
        return text.stripLeading().startsWith(HEADER);
    }

    /** Returns the plain text of a vault file, or throws when the password is wrong or the file was altered. */
    public static String decrypt(String text, String password) {
        if (password == null || password.isEmpty()) {
            throw new VaultException("no vault password given");
        }
        String[] lines = text.strip().split("\\R");
        String[] header = lines[0].strip().split(";");
        if (header.length < 3 || !header[0].equals("$ANSIBLE_VAULT")) {
            throw new VaultException("not an Ansible Vault file: the first line is not a $ANSIBLE_VAULT header");
        }
        if (!header[1].equals("1.1") && !header[1].equals("1.2")) {
            throw new VaultException("unsupported Ansible Vault format " + header[1] + "; expected 1.1 or 1.2");
        }
        if (!header[2].equals("AES256")) {
            throw new VaultException("unsupported Ansible Vault cipher " + header[2] + "; expected AES256");
        }
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < lines.length; i++) {
            body.append(lines[i].strip());
        }
        String[] parts = new String(hex(body.toString()), StandardCharsets.US_ASCII).split("\n");
        if (parts.length != 3) {
            throw new VaultException("damaged Ansible Vault file: expected salt, HMAC and ciphertext");
        }
        byte[] salt = hex(parts[0]);
        byte[] expectedMac = hex(parts[1]);
        byte[] ciphertext = hex(parts[2]);
        if (ciphertext.length == 0 || ciphertext.length % BLOCK != 0) {
            throw new VaultException("damaged Ansible Vault file: the ciphertext is not a whole number of blocks");
        }
        try {
            byte[] material = keyMaterial(password, salt);
            SecretKeySpec cipherKey = new SecretKeySpec(material, 0, KEY_LENGTH, "AES");
            SecretKeySpec macKey = new SecretKeySpec(material, KEY_LENGTH, KEY_LENGTH, "HmacSHA256");
            IvParameterSpec counter = new IvParameterSpec(material, 2 * KEY_LENGTH, IV_LENGTH);
            Arrays.fill(material, (byte) 0);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(macKey);
            if (!MessageDigest.isEqual(mac.doFinal(ciphertext), expectedMac)) {
                throw new VaultException("wrong vault password, or the file was changed after it was encrypted");
            }
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, cipherKey, counter);
            return utf8(unpad(aes.doFinal(ciphertext)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2, HMAC-SHA256 or AES-CTR", e);
        }
    }

    private static byte[] keyMaterial(String password, byte[] salt) throws GeneralSecurityException {
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, ITERATIONS, (2 * KEY_LENGTH + IV_LENGTH) * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    private static byte[] unpad(byte[] padded) {
        int pad = padded.length == 0 ? 0 : padded[padded.length - 1] & 0xff;
        if (pad < 1 || pad > BLOCK || pad > padded.length) {
            throw new VaultException("damaged Ansible Vault file: bad padding after decryption");
        }
        for (int i = padded.length - pad; i < padded.length; i++) {
            if ((padded[i] & 0xff) != pad) {
                throw new VaultException("damaged Ansible Vault file: bad padding after decryption");
            }
        }
        return Arrays.copyOf(padded, padded.length - pad);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new VaultException("the decrypted vault is not UTF-8 text");
        }
    }

    private static byte[] hex(String text) {
        try {
            return HexFormat.of().parseHex(text.strip());
        } catch (IllegalArgumentException e) {
            throw new VaultException("damaged Ansible Vault file: expected hexadecimal digits");
        }
    }
}
