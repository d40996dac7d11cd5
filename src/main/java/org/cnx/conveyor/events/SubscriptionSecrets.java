package org.cnx.conveyor.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.cnx.conveyor.secret.SecretCipher;

/**
 * Subscriptions' sealed secrets, opened once per sealing rather than for every run of deliveries: a new secret is
 * sealed with a new nonce, so a changed secret is opened afresh. A deleted subscription's is forgotten by the
 * dispatcher's next look at which subscriptions exist ({@link #forgetDeleted}).
 */
@ApplicationScoped
class SubscriptionSecrets {

    private final SecretCipher cipher;
    private final EntityManager db;
    private final Map<Long, Opened> opened = new ConcurrentHashMap<>();

    SubscriptionSecrets(SecretCipher cipher, EntityManager db) {
        this.cipher = cipher;
        this.db = db;
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

    /**
     * Forgets the opened secrets of subscriptions deleted since (on this instance or another); returns the ids of
     * those that exist now.
     */
    @Transactional
    Set<Long> forgetDeleted() {
        @SuppressWarnings("unchecked")
        List<Number> ids = db.createNativeQuery("SELECT id FROM subscriptions").getResultList();
        Set<Long> existing = ids.stream().map(Number::longValue).collect(Collectors.toSet());
        opened.keySet().retainAll(existing);
        return existing;
    }

    /** Whether the subscription's secret is kept opened. */
    boolean remembers(long subscriptionId) {
        return opened.containsKey(subscriptionId);
    }

    /** A subscription's secret as last opened, and the nonce it was sealed with. */
    private record Opened(byte[] nonce, String secret) {}
}
