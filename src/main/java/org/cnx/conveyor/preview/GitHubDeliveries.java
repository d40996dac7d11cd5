package org.cnx.conveyor.preview;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The deliveries already handled, by {@code X-GitHub-Delivery} and by the SHA-256 of their body: a redelivery finds
 * its id here and does nothing; a copy of a signed body sent again under a new id is recognised as a replay.
 */
@ApplicationScoped
class GitHubDeliveries {

    private final EntityManager em;

    GitHubDeliveries(EntityManager em) {
        this.em = em;
    }

    /** What {@link #claim} found. */
    enum Claim {
        /** New: handle it. */
        NEW,
        /** This delivery id was handled before (GitHub's own redelivery keeps the id): nothing to do again. */
        HANDLED_BEFORE,
        /** The same signed body arrived before under another delivery id: a replay, refused. */
        REPLAYED
    }

    /**
     * Records the delivery with its body's digest. Two concurrent copies: the second waits for the first, then finds
     * it. The digests are kept as long as the deliveries, so a replay is refused for as long as its original is known.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    Claim claim(String deliveryId, String event, byte[] body) {
        int inserted = em.createNativeQuery("""
                INSERT INTO github_deliveries (delivery_id, event, body_sha256) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING""")
                .setParameter(1, deliveryId)
                .setParameter(2, event)
                .setParameter(3, sha256(body))
                .executeUpdate();
        if (inserted == 1) {
            return Claim.NEW;
        }
        boolean known = !em.createNativeQuery("SELECT 1 FROM github_deliveries WHERE delivery_id = ?1")
                .setParameter(1, deliveryId)
                .getResultList()
                .isEmpty();
        return known ? Claim.HANDLED_BEFORE : Claim.REPLAYED;
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void finished(String deliveryId, String outcome) {
        em.createNativeQuery("UPDATE github_deliveries SET outcome = ?2 WHERE delivery_id = ?1")
                .setParameter(1, deliveryId)
                .setParameter(2, outcome)
                .executeUpdate();
    }

    /** Forgets a delivery whose handling failed, so that GitHub's redelivery tries again. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void forget(String deliveryId) {
        em.createNativeQuery("DELETE FROM github_deliveries WHERE delivery_id = ?1")
                .setParameter(1, deliveryId)
                .executeUpdate();
    }
}
