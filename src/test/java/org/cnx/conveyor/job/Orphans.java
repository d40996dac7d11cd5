package org.cnx.conveyor.job;

import io.quarkus.arc.Arc;

/** Lets a test make the job worker look for orphaned jobs now, as it does at start-up and when a lease expires. */
public final class Orphans {

    private Orphans() {}

    public static void recoverNow() {
        Arc.container().instance(JobWorker.class).get().reap();
    }
}
