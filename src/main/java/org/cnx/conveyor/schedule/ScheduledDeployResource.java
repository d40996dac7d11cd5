package org.cnx.conveyor.schedule;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.schedule.ScheduledDeploys.ScheduledView;
import org.jboss.resteasy.reactive.RestPath;

/** {@code /api/environments/{env}/scheduled-deploys} and {@code /api/scheduled-deploys/{id}}. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class ScheduledDeployResource {

    /** The body of a schedule request. */
    record ScheduleRequest(Long release, Instant at, Instant expiresAt) {}

    private final ScheduledDeploys scheduled;
    private final SecurityIdentity identity;

    ScheduledDeployResource(ScheduledDeploys scheduled, SecurityIdentity identity) {
        this.scheduled = scheduled;
        this.identity = identity;
    }

    @GET
    @Path("environments/{env}/scheduled-deploys")
    public List<ScheduledView> list(@RestPath String env) {
        return scheduled.of(env);
    }

    @POST
    @Path("environments/{env}/scheduled-deploys")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response schedule(@RestPath String env, ScheduleRequest request) {
        ScheduledView view = scheduled.schedule(
                env,
                request == null ? null : request.release(),
                request == null ? null : request.at(),
                request == null ? null : request.expiresAt(),
                identity.getPrincipal().getName());
        return Response.status(Response.Status.CREATED).entity(view).build();
    }

    @DELETE
    @Path("scheduled-deploys/{id}")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response cancel(@RestPath long id) {
        scheduled.cancel(
                id,
                identity.getPrincipal().getName(),
                identity.hasRole(Role.LEAD_NAME) || identity.hasRole(Role.ADMIN_NAME));
        return Response.noContent().build();
    }
}
