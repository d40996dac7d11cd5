package org.cnx.conveyor.job;

import java.util.Locale;
import org.cnx.conveyor.environment.Environment;

/**
 * What a job does to its environment, and everything {@link JobService} needs to queue one: which release it runs,
 * which permission checks it passes, what it refuses, how it is audited. Adding a type means adding a constant here
 * and a {@link JobHandler} for it.
 */
public enum JobType {
    /** Put a release live on every host. */
    DEPLOY(Release.GIVEN, Permit.CHECKED, "deploy.requested", null, true),
    /** Put the previous release back (a deploy of it, usually with its files still on the hosts). */
    ROLLBACK(Release.PREVIOUS, Permit.CHECKED, "rollback.requested", "rollback.emergency", true) {
        @Override
        String reason(Environment env, LiveRelease live, boolean emergency) {
            return (emergency ? "emergency rollback" : "rollback") + " to release " + live.rollbackTarget();
        }
    },
    /** Bring every host of a degraded environment back to its committed release. */
    RETRY_ROLLBACK(Release.LIVE, Permit.PERMITTED, null, null, false) {
        @Override
        String refusal(Environment env) {
            if (!env.degraded()) {
                return "environment \"" + env.name + "\" is not degraded; there is no rollback to retry";
            }
            return env.currentReleaseId == null
                    ? "environment \"" + env.name + "\" has no committed release to return to"
                    : null;
        }

        @Override
        String reason(Environment env, LiveRelease live, boolean emergency) {
            return "retry the rollback of job " + env.healthJobId;
        }
    },
    /** Run the live release's pending migrations (and deferred ones) now, without touching the hosts. */
    MIGRATE(Release.LIVE, Permit.NONE, null, null, false) {
        @Override
        String reason(Environment env, LiveRelease live, boolean emergency) {
            return "run pending migrations";
        }
    },
    /** Run the live release's deferred migrations: the follow-up of a deploy, outside its transaction. */
    DEFERRED_MIGRATE(Release.GIVEN, Permit.NONE, null, null, false),
    /** Stop every service of a preview or clone, remove its folders and its database, and remove the environment. */
    TEARDOWN(Release.LIVE_IF_ANY, Permit.NONE, null, null, false) {
        @Override
        String refusal(Environment env) {
            return env.fromTemplate()
                    ? null
                    : "environment \"" + env.name
                            + "\" comes from its own file; only previews and clones are torn down";
        }
    },
    /** Recreate the environment's embedded database empty and run the live release's migrations on it. */
    RESET_DATA(Release.LIVE, Permit.NONE, null, null, false) {
        @Override
        String reason(Environment env, LiveRelease live, boolean emergency) {
            return "reset data";
        }
    },
    /**
     * Build a commit into a release (in a sandbox, never as Conveyor's user) and queue its deploy to the environment:
     * queued by a GitHub delivery in the transaction that records it, so the delivery is answered before it runs.
     */
    BUILD(Release.NONE, Permit.NONE, null, null, true),
    /** Run one of the environment's runbooks on its hosts (the runbook service checks who may). */
    RUNBOOK(Release.LIVE_IF_ANY, Permit.NONE, null, null, true),
    /**
     * Copy the environment's database (read only), scrub the copy with the definition's scripts and store it as a
     * snapshot (the snapshot service checks who may).
     */
    SNAPSHOT(Release.LIVE_IF_ANY, Permit.NONE, null, null, false) {
        @Override
        String reason(Environment env, LiveRelease live, boolean emergency) {
            return "take a scrubbed snapshot of the database";
        }
    };

    /** Where a job's release comes from. */
    enum Release {
        /** The caller names it. */
        GIVEN,
        /** The environment's live release; without one the job is refused. */
        LIVE,
        /** The environment's live release, or none. */
        LIVE_IF_ANY,
        /** The release that was live before the current one; without one the job is refused. */
        PREVIOUS,
        /** None: the job makes the release (a build). */
        NONE
    }

    /** Which {@link DeployCheck}s a job passes before it is queued. */
    enum Permit {
        /**
         * None: Conveyor queues these itself (follow-ups, teardowns of expired previews) or behind the checks of the
         * feature that asks (clone owners, migration repair by leads).
         */
        NONE,
        /** {@link DeployCheck#permit}: may this caller start this kind of job here at all. */
        PERMITTED,
        /** {@code permit}, then the release must exist and pass every {@link DeployCheck#check}. */
        CHECKED
    }

    private final Release release;
    private final Permit permit;
    private final String auditAction;
    private final String emergencyAuditAction;
    private final boolean joinsCallerTransaction;

    /**
     * @param auditAction the audit row written with the job; null when the caller audits (or nobody needs one)
     * @param emergencyAuditAction on a protected environment the job is an emergency, audited as this; null when the
     *     type has no emergencies
     * @param joinsCallerTransaction queued inside the caller's transaction (a promotion commits its state and its deploy
     *     together) rather than in one of its own
     */
    JobType(
            Release release,
            Permit permit,
            String auditAction,
            String emergencyAuditAction,
            boolean joinsCallerTransaction) {
        this.release = release;
        this.permit = permit;
        this.auditAction = auditAction;
        this.emergencyAuditAction = emergencyAuditAction;
        this.joinsCallerTransaction = joinsCallerTransaction;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static JobType parse(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    Release release() {
        return release;
    }

    Permit permit() {
        return permit;
    }

    /** The audit action of a queued job of this type, or null when queueing it writes no audit row. */
    String auditAction(boolean emergency) {
        return emergency ? emergencyAuditAction : auditAction;
    }

    /** Whether a job of this type on a protected environment is an emergency (and audited as one). */
    boolean emergencyWhenProtected() {
        return emergencyAuditAction != null;
    }

    boolean joinsCallerTransaction() {
        return joinsCallerTransaction;
    }

    /** Why the environment cannot take a job of this type now, or null when it can. */
    String refusal(Environment env) {
        return null;
    }

    /** The job's reason when its caller gives none; null for none. */
    String reason(Environment env, LiveRelease live, boolean emergency) {
        return null;
    }
}
