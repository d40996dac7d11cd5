package org.cnx.conveyor.freeze;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.freeze.Holds.FreezeRequest;
import org.cnx.conveyor.freeze.Holds.FreezeView;
import org.cnx.conveyor.freeze.Holds.LockView;
import org.jboss.resteasy.reactive.RestPath;

/** Freeze windows (leads) and environment locks (anyone who may deploy): {@code /api/freezes}, {@code …/lock}. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class HoldResource {

    /** The body of a lock request. */
    record LockRequest(String reason, Instant expiresAt) {}

    private final Holds holds;
    private final SecurityIdentity identity;

    HoldResource(Holds holds, SecurityIdentity identity) {
        this.holds = holds;
        this.identity = identity;
    }

    @GET
    @Path("freezes")
    public List<FreezeView> freezes() {
        return holds.freezes();
    }

    @POST
    @Path("freezes")
    @RolesAllowed(Role.LEAD_NAME)
    public Response create(FreezeRequest request) {
        FreezeView created = holds.create(
                request == null ? new FreezeRequest(null, null, null, null, null, null, null, null) : request, me());
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @DELETE
    @Path("freezes/{id}")
    @RolesAllowed(Role.LEAD_NAME)
    public Response delete(@RestPath long id) {
        holds.delete(id, me());
        return Response.noContent().build();
    }

    @GET
    @Path("environments/{env}/lock")
    public LockView lock(@RestPath String env) {
        return holds.lockOf(env).orElseThrow(() -> new NotFound("environment \"" + env + "\" is not locked"));
    }

    @PUT
    @Path("environments/{env}/lock")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public LockView lock(@RestPath String env, LockRequest request) {
        return holds.lock(
                env, request == null ? null : request.reason(), request == null ? null : request.expiresAt(), me());
    }

    @DELETE
    @Path("environments/{env}/lock")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response unlock(@RestPath String env) {
        holds.unlock(env, me(), identity.hasRole(Role.LEAD_NAME) || identity.hasRole(Role.ADMIN_NAME));
        return Response.noContent().build();
    }

    private String me() {
        return identity.getPrincipal().getName();
    }
}
