package org.cnx.conveyor.auth;

import jakarta.ws.rs.core.NewCookie;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Carries a just-created API token from the form's answer to the page that shows it once: HttpOnly, SameSite=Strict,
 * sent only to {@code /tokens} and gone after a minute or after that page, whichever comes first. The value is signed
 * with the session's CSRF token, so a page on another port of the same host (a preview) cannot plant a token of its own
 * for the user to copy.
 */
final class NewTokenCookie {

    static final String NAME = "conveyor-new-token";
    private static final String PATH = "/tokens";
    private static final int SECONDS = 60;

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private NewTokenCookie() {}

    static NewCookie of(TokenService.CreatedToken created, String sessionSecret, boolean secure) {
        String payload = B64.encodeToString((created.name() + "\n" + created.token()).getBytes(StandardCharsets.UTF_8));
        return cookie(payload + "." + sign(payload, sessionSecret), secure, SECONDS);
    }

    static NewCookie drop(boolean secure) {
        return cookie("", secure, 0);
    }

    /** The token to show, or null when there is none or the cookie is not one this class wrote. */
    static TokenService.CreatedToken read(String value, String sessionSecret) {
        if (value == null || sessionSecret == null || value.indexOf('.') < 0) {
            return null;
        }
        String payload = value.substring(0, value.indexOf('.'));
        byte[] signature = sign(payload, sessionSecret).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(
                signature, value.substring(value.indexOf('.') + 1).getBytes(StandardCharsets.US_ASCII))) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8).split("\n", 2);
            return parts.length == 2 ? new TokenService.CreatedToken(0, parts[0], null, null, parts[1]) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String sign(String payload, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return B64.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static NewCookie cookie(String value, boolean secure, int maxAge) {
        return new NewCookie.Builder(NAME)
                .value(value)
                .path(PATH)
                .httpOnly(true)
                .secure(secure)
                .maxAge(maxAge)
                .sameSite(NewCookie.SameSite.STRICT)
                .build();
    }
}
