package org.cnx.conveyor.clone;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.cnx.conveyor.common.DomainException.Forbidden;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.job.DeployCheck;
import org.cnx.conveyor.job.JobType;

/**
 * A personal clone is its owner's: only they (or an admin) deploy, roll back, retry a rollback or cancel a job there,
 * whichever path they use ({@code /api/clones}, {@code /api/environments/dev-x/…}, the page forms, a promotion).
 */
@ApplicationScoped
class CloneOwnership implements DeployCheck {

    private final Instance<SecurityIdentity> caller;

    CloneOwnership(Instance<SecurityIdentity> caller) {
        this.caller = caller;
    }

    /** The rule itself, shared with {@link CloneService}'s reset and teardown. */
    static boolean mayActOn(Clone clone, String user, boolean admin) {
        return admin || clone.owner.equals(user);
    }

    @Override
    public void permit(String environment, JobType type, boolean direct) {
        requireOwner(environment);
    }

    @Override
    public void permitCancel(String environment, JobType type, boolean direct) {
        requireOwner(environment);
    }

    private void requireOwner(String environment) {
        // Without a logged-in caller this is Conveyor's own work (a sweeper, a signed webhook): every person's path
        // needs a login.
        if (!Arc.container().requestContext().isActive() || caller.get().isAnonymous()) {
            return;
        }
        SecurityIdentity identity = caller.get();
        QuarkusTransaction.requiringNew().call(() -> Clone.live(environment)).ifPresent(clone -> {
            if (!mayActOn(clone, identity.getPrincipal().getName(), identity.hasRole(Role.ADMIN_NAME))) {
                throw new Forbidden("clone " + environment + " belongs to " + clone.owner
                        + "; only its owner or an admin may deploy to it or stop its jobs");
            }
        });
    }
}
