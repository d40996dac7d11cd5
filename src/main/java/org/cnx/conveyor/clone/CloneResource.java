package org.cnx.conveyor.clone;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.web.ClientAddress;
import org.jboss.resteasy.reactive.RestPath;

/** Clones API: list, create (with a deploy), deploy another release, reset data, tear down; each answers with its job. */
@Path("/api/clones")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class CloneResource {

    /** Optional release to deploy; without it, the latest release live in the clone stage. */
    record ReleaseRequest(Long release) {}

    private final CloneService clones;
    private final CloneQueries queries;
    private final SecurityIdentity identity;
    private final HttpServerRequest request;

    CloneResource(CloneService clones, CloneQueries queries, SecurityIdentity identity, HttpServerRequest request) {
        this.clones = clones;
        this.queries = queries;
        this.identity = identity;
        this.request = request;
    }

    @GET
    public List<CloneView> list() {
        return queries.list(null);
    }

    @POST
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response create(ReleaseRequest body) {
        CloneService.Started started = clones.create(actor(), body == null ? null : body.release());
        return Response.created(URI.create("/api/environments/" + started.environment()))
                .entity(started)
                .build();
    }

    @POST
    @Path("{environment}/deployments")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response deploy(@RestPath String environment, ReleaseRequest body) {
        return Response.accepted(clones.deploy(actor(), environment, body == null ? null : body.release()))
                .build();
    }

    @POST
    @Path("{environment}/reset")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response reset(@RestPath String environment) {
        return Response.accepted(clones.resetData(actor(), environment)).build();
    }

    @DELETE
    @Path("{environment}")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response tearDown(@RestPath String environment) {
        return Response.accepted(clones.tearDown(actor(), environment)).build();
    }

    private CloneService.Actor actor() {
        return new CloneService.Actor(
                identity.getPrincipal().getName(), identity.hasRole(Role.ADMIN_NAME), ClientAddress.of(request));
    }
}
