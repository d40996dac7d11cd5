package org.cnx.conveyor.events;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cnx.conveyor.secret.SecretCipher;

/**
 * Subscriptions' sealed secrets, opened once per sealing rather than for every run of deliveries: a new secret is
 * sealed with a new nonce, so a changed secret is opened afresh. Kept for the life of the process.
 */
@ApplicationScoped
class SubscriptionSecrets {

    private final SecretCipher cipher;
    private final Map<Long, Opened> opened = new ConcurrentHashMap<>();

    SubscriptionSecrets(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** The subscription's sealed secret, opened; null when it has none (a Slack channel's is its URL). */
    String open(Subscription subscription) {
        if (subscription.secretNonce == null) {
            return null;
        }
        Opened known = opened.get(subscription.id);
        if (known != null && Arrays.equals(known.nonce(), subscription.secretNonce)) {
            return known.secret();
        }
        String secret = cipher.open(
                subscription.secretName(),
                new SecretCipher.Sealed(subscription.secretNonce, subscription.secretCiphertext));
        opened.put(subscription.id, new Opened(subscription.secretNonce.clone(), secret));
        return secret;
    }

    /** A subscription's secret as last opened, and the nonce it was sealed with. */
    private record Opened(byte[] nonce, String secret) {}
}
