package org.cnx.conveyor.job;

import java.util.Locale;

/** What a job does to its environment. */
public enum JobType {
    /** Put a release live on every host. */
    DEPLOY,
    /** Put the previous release back (a deploy of it, usually with its files still on the hosts). */
    ROLLBACK,
    /** Bring every host of a degraded environment back to its committed release. */
    RETRY_ROLLBACK,
    /** Run the live release's pending migrations (and deferred ones) now, without touching the hosts. */
    MIGRATE,
    /** Run the live release's deferred migrations: the follow-up of a deploy, outside its transaction. */
    DEFERRED_MIGRATE,
    /** Stop every service of a preview or clone, remove its folders and its database, and remove the environment. */
    TEARDOWN,
    /** Recreate the environment's embedded database empty and run the live release's migrations on it. */
    RESET_DATA;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static JobType parse(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
