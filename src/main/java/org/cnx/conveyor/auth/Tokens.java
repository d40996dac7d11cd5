package org.cnx.conveyor.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Random bearer values (API tokens, session ids, generated passwords) and their stored hashes. */
public final class Tokens {

    /** Every API token starts with this, so a leaked one is easy to recognise and to scan for. */
    public static final String API_TOKEN_PREFIX = "cvy_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    public static String randomApiToken() {
        return API_TOKEN_PREFIX + random(32);
    }

    public static String randomSessionId() {
        return random(32);
    }

    public static String randomPassword() {
        return random(18);
    }

    /** URL-safe base64 of {@code bytes} random bytes. */
    public static String random(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
    }

    /**
     * The CSRF token of a browser session: an HMAC of a fixed label keyed by the session id. It is bound to that one
     * session (another session, a planted cookie or a logged-out session gives another value), needs no storage, and
     * reveals nothing about the session id when a page shows it.
     */
    public static String csrfToken(String sessionId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sessionId.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] token = mac.doFinal("conveyor csrf token".getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
        }
    }

    /** Hex SHA-256; high-entropy tokens need no slow hash, and an exact-match lookup by hash stays cheap. */
    public static String sha256(String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
