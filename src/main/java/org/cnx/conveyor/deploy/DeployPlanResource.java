package org.cnx.conveyor.deploy;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.cnx.conveyor.common.DomainException.Conflict;

/**
 * {@code GET /api/environments/{env}/plan?release=N}: what a deploy would do, before it runs; 409 when the release
 * would deploy nothing there.
 */
@Path("/api/environments/{env}/plan")
@Produces(MediaType.APPLICATION_JSON)
class DeployPlanResource {

    private final DeployPlanner planner;

    DeployPlanResource(DeployPlanner planner) {
        this.planner = planner;
    }

    @GET
    public DeployPlan plan(String env, @QueryParam("release") Long release) {
        DeployPlan plan = planner.plan(env, release);
        if (!plan.blockers().isEmpty()) {
            throw new Conflict(String.join("; ", plan.blockers()));
        }
        return plan;
    }
}
