package org.cnx.conveyor.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** Wakes this instance's event consumers (streams, webhook dispatcher, Kafka relay) when an event was committed. */
@ApplicationScoped
public class EventSignals {

    private static final String KEY = EventSignals.class.getName();

    private final Object lock = new Object();
    private final TransactionSynchronizationRegistry transactions;
    private long version;

    EventSignals(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    /** Bumps once the caller's transaction committed (once per transaction, however often it is called). */
    public void bumpAfterCommit() {
        if (transactions.getResource(KEY) != null) {
            return;
        }
        transactions.putResource(KEY, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    bump();
                }
            }
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
