package org.cnx.conveyor.preview;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** GitHub's {@code X-Hub-Signature-256}: {@code sha256=} and the hex HMAC-SHA256 of the raw body, keyed by the webhook secret. */
public final class WebhookSignature {

    public static final String HEADER = "X-Hub-Signature-256";

    private WebhookSignature() {}

    /** The header value GitHub sends for this body and secret. */
    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** True when the header is exactly the signature of the body; compared in constant time. */
    public static boolean verify(String secret, byte[] body, String header) {
        if (secret == null || secret.isEmpty() || header == null) {
            return false;
        }
        byte[] expected = sign(secret, body).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, header.trim().getBytes(StandardCharsets.UTF_8));
    }
}
