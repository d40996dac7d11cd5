package org.cnx.conveyor.promote;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.cnx.conveyor.common.DomainException.Forbidden;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.job.DeployCheck;
import org.cnx.conveyor.job.JobType;

/**
 * Nobody ships to a protected environment alone: a deploy there must carry out an approved promotion. A rollback is
 * the one exception, for leads only (an emergency rollback, recorded as such by the job service). Only leads cancel a
 * protected environment's jobs, so a developer cannot stop a deploy the leads approved.
 */
@ApplicationScoped
class ProtectionCheck implements DeployCheck {

    private final EnvironmentService environments;
    private final Instance<SecurityIdentity> caller;

    ProtectionCheck(EnvironmentService environments, Instance<SecurityIdentity> caller) {
        this.environments = environments;
        this.caller = caller;
    }

    @Override
    public void permit(String environment, JobType type, boolean direct) {
        EnvironmentDefinition definition = environments.definition(environment);
        if (!definition.isProtected() || !direct) {
            return;
        }
        String protection = "environment \"" + environment + "\" is protected: it needs " + definition.approvals()
                + " approval(s) from leads";
        if (type == JobType.DEPLOY) {
            throw new Forbidden(protection + ". Request a promotion of the release"
                    + " instead (the Promote button on the release page, or POST /api/promotions)");
        }
        if (!caller.get().hasRole(Role.LEAD_NAME)) {
            throw new Forbidden(protection + "; only a lead may roll it back without a promotion"
                    + " (an emergency rollback), or promote the previous release");
        }
    }

    @Override
    public void permitCancel(String environment, JobType type, boolean direct) {
        if (environments.definition(environment).isProtected() && !caller.get().hasRole(Role.LEAD_NAME)) {
            throw new Forbidden("environment \"" + environment + "\" is protected: only a lead may cancel its jobs");
        }
    }
}
