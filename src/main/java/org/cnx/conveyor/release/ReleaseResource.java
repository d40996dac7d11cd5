package org.cnx.conveyor.release;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.release.ReleaseViews.NewRelease;
import org.cnx.conveyor.release.ReleaseViews.ReleaseDiff;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;

/** Releases API: create (developers and up), list, detail, diff. There is no update: a change is a new release. */
@Path("/api/releases")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class ReleaseResource {

    private final ReleaseService releases;
    private final SecurityIdentity identity;

    ReleaseResource(ReleaseService releases, SecurityIdentity identity) {
        this.releases = releases;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response create(NewRelease request) {
        ReleaseView created = releases.create(request, identity.getPrincipal().getName());
        return Response.created(URI.create("/api/releases/" + created.id()))
                .entity(created)
                .build();
    }

    @GET
    public List<ReleaseView> list(@QueryParam("limit") @DefaultValue("50") int limit) {
        return releases.list(limit);
    }

    @GET
    @Path("{id}")
    public ReleaseView get(long id) {
        return releases.get(id);
    }

    /** What changes when going from release {@code id} to release {@code other}. */
    @GET
    @Path("{id}/diff/{other}")
    public ReleaseDiff diff(long id, long other) {
        return releases.diff(id, other);
    }
}
