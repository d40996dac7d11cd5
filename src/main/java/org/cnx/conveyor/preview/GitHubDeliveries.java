package org.cnx.conveyor.preview;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** The deliveries already handled, by {@code X-GitHub-Delivery}: a redelivery finds its id here and does nothing. */
@ApplicationScoped
class GitHubDeliveries {

    private final EntityManager em;

    GitHubDeliveries(EntityManager em) {
        this.em = em;
    }

    /** Records the delivery; false when it was recorded before (two concurrent copies: the second waits, then gets false). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    boolean claim(String deliveryId, String event) {
        return em.createNativeQuery("INSERT INTO github_deliveries (delivery_id, event) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, deliveryId).setParameter(2, event).executeUpdate() == 1;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void finished(String deliveryId, String outcome) {
        em.createNativeQuery("UPDATE github_deliveries SET outcome = ?2 WHERE delivery_id = ?1")
                .setParameter(1, deliveryId).setParameter(2, outcome).executeUpdate();
    }

    /** Forgets a delivery whose handling failed, so that GitHub's redelivery tries again. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void forget(String deliveryId) {
        em.createNativeQuery("DELETE FROM github_deliveries WHERE delivery_id = ?1").setParameter(1, deliveryId).executeUpdate();
    }
}
