package org.cnx.conveyor.common;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** Runs work once the caller's transaction has committed: a wake-up about rows that others can read only then. */
public final class AfterCommit {

    private AfterCommit() {}

    /** Registers {@code work} to run after the transaction on this thread commits; not at all if it rolls back. */
    public static void run(TransactionSynchronizationRegistry transactions, Runnable work) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    work.run();
                }
            }
        });
    }
}
