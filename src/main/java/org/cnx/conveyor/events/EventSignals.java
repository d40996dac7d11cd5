package org.cnx.conveyor.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.cnx.conveyor.cluster.Notifications;
import org.cnx.conveyor.common.AfterCommit;

/**
 * Wakes the event consumers (streams, webhook dispatcher, Kafka relay, the dashboard's live updates) when an event
 * was committed: this instance's at once, the other instances' through {@link Notifications#EVENTS}.
 */
@ApplicationScoped
public class EventSignals {

    private static final String KEY = EventSignals.class.getName();

    private final Object lock = new Object();
    private final TransactionSynchronizationRegistry transactions;
    private final Notifications notifications;
    private long version;

    EventSignals(TransactionSynchronizationRegistry transactions, Notifications notifications) {
        this.transactions = transactions;
        this.notifications = notifications;
        notifications.on(Notifications.EVENTS, payload -> bump());
    }

    /** Bumps once the caller's transaction committed (once per transaction, however often it is called). */
    public void bumpAfterCommit() {
        if (transactions.getResource(KEY) != null) {
            return;
        }
        transactions.putResource(KEY, Boolean.TRUE);
        AfterCommit.run(transactions, () -> {
            bump();
            notifications.send(Notifications.EVENTS, "outbox");
        });
    }

    public void bump() {
        synchronized (lock) {
            version++;
            lock.notifyAll();
        }
    }

    public long version() {
        synchronized (lock) {
            return version;
        }
    }

    /** Waits until an event was committed after {@code seen} was read, or the timeout passes; returns the version. */
    public long await(long seen, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (lock) {
            while (version == seen) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                lock.wait(left);
            }
            return version;
        }
    }
}
