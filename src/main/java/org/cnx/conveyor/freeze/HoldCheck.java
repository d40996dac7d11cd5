package org.cnx.conveyor.freeze;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import org.cnx.conveyor.audit.AuditLog;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.common.DomainException.Forbidden;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.common.Subjects;
import org.cnx.conveyor.job.DeployCheck;
import org.cnx.conveyor.job.DeployRequest;
import org.cnx.conveyor.job.JobType;

/**
 * Deploys (direct, by promotion or scheduled) wait for no one inside a freeze or while the environment is locked: they
 * are refused, saying by what and until when. Rollbacks always pass. A lead may override a freeze with a written
 * reason, which is audited and shown on the job; a lock is lifted, never overridden.
 */
@ApplicationScoped
class HoldCheck implements DeployCheck {

    private final Holds holds;
    private final Instance<SecurityIdentity> caller;
    private final AuditLog audit;

    HoldCheck(Holds holds, Instance<SecurityIdentity> caller, AuditLog audit) {
        this.holds = holds;
        this.caller = caller;
        this.audit = audit;
    }

    @Override
    public void check(DeployRequest request) {
        if (request.type() != JobType.DEPLOY) {
            return;
        }
        if (request.at() != null) {
            // A deploy scheduled for later: a lock may be lifted by then, but a freeze window is known in advance.
            holds.activeFreeze(request.environment(), request.at()).ifPresent(f -> {
                throw new Conflict("a deploy to " + request.environment() + " at " + request.at() + " would be inside "
                        + f.describe() + "; choose another time");
            });
            return;
        }
        holds.lockOf(request.environment()).ifPresent(lock -> {
            throw new Conflict(lockMessage(lock));
        });
        Optional<Holds.ActiveFreeze> freeze = holds.activeFreeze(request.environment());
        if (freeze.isEmpty()) {
            return;
        }
        String override = request.freezeOverride();
        if (override == null || override.isBlank()) {
            throw new Conflict("deploys to " + request.environment() + " are frozen by "
                    + freeze.get().describe()
                    + "; rollbacks still work, and a lead may deploy anyway with a written reason"
                    + " (\"freezeOverride\": \"why\")");
        }
        // A scheduled deploy fires without a request: no one to have written an override.
        SecurityIdentity identity = Arc.container().requestContext().isActive() ? caller.get() : null;
        if (identity == null || identity.isAnonymous() || !identity.hasRole(Role.LEAD_NAME)) {
            throw new Forbidden("only a lead may override " + freeze.get().describe());
        }
        String detail = freeze.get().describe() + ", release " + request.releaseId() + ": " + override.strip();
        QuarkusTransaction.requiringNew()
                .run(() -> audit.record("freeze.overridden", Subjects.environment(request.environment()), detail));
    }

    private static String lockMessage(Holds.LockView lock) {
        return "environment \"" + lock.environment() + "\" is locked by " + lock.lockedBy() + " since "
                + lock.lockedAt() + ": " + lock.reason()
                + (lock.expiresAt() == null ? "" : " (until " + lock.expiresAt() + ")")
                + "; deploys and promotions to it are refused until its author, a lead or an admin lifts it";
    }
}
