package org.cnx.conveyor.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Conveyor-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}. The
 * timestamp is signed with the body, so a receiver that refuses old timestamps refuses replays.
 */
public final class Signature {

    public static final String HEADER = "Conveyor-Signature";

    private Signature() {}

    public static String header(String secret, long unixSeconds, String body) {
        return signer(secret).header(unixSeconds, body.getBytes(StandardCharsets.UTF_8));
    }

    public static String hmac(String secret, String message) {
        Mac mac = signer(secret).mac;
        return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    /** Signs with one secret; the key is set up once, for a whole run of deliveries. */
    public static Signer signer(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return new Signer(mac);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** One secret's keyed HMAC, reused for every body it signs; not for use by two threads at once. */
    public static final class Signer {

        private final Mac mac;

        private Signer(Mac mac) {
            this.mac = mac;
        }

        /** The header for a body sent as these bytes, signed over them without copying them into a string. */
        public String header(long unixSeconds, byte[] body) {
            String t = Long.toString(unixSeconds);
            // doFinal resets the Mac to its key: ready for the next body.
            mac.update(t.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        }
    }
}
