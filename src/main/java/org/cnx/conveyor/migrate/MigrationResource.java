package org.cnx.conveyor.migrate;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.migrate.MigrationRepair.Actor;
import org.cnx.conveyor.migrate.MigrationViews.DriftReport;
import org.cnx.conveyor.migrate.MigrationViews.MigrationStatus;
import org.cnx.conveyor.web.ClientAddress;

/** Migrations API: status per environment, admin repairs, drift checks. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class MigrationResource {

    /** The body of a baseline request. */
    record BaselineRequest(String version, String description, String from, Long release) {}

    private final MigrationStatusService status;
    private final MigrationRepair repair;
    private final DriftService drift;
    private final SecurityIdentity identity;

    MigrationResource(
            MigrationStatusService status, MigrationRepair repair, DriftService drift, SecurityIdentity identity) {
        this.status = status;
        this.repair = repair;
        this.drift = drift;
        this.identity = identity;
    }

    @GET
    @Path("environments/{env}/migrations")
    public MigrationStatus status(String env) {
        return status.status(env);
    }

    @POST
    @Path("environments/{env}/migrations/run")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response runPending(String env, @Context HttpServerRequest request) {
        JobSummary job = repair.runPending(env, actor(request));
        return Response.accepted(job)
                .location(URI.create("/api/jobs/" + job.id()))
                .build();
    }

    @POST
    @Path("environments/{env}/migrations/{version}/mark-applied")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response markApplied(String env, String version, @Context HttpServerRequest request) {
        repair.markApplied(env, version, actor(request));
        return Response.noContent().build();
    }

    @POST
    @Path("environments/{env}/migrations/{version}/mark-not-applied")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response markNotApplied(
            String env, String version, @QueryParam("deferred") boolean deferred, @Context HttpServerRequest request) {
        repair.markNotApplied(env, version, deferred, actor(request));
        return Response.noContent().build();
    }

    @POST
    @Path("environments/{env}/migrations/baseline")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response baseline(String env, BaselineRequest body, @Context HttpServerRequest request) {
        if (body == null) {
            throw new Invalid("version: expected {\"version\": \"…\"} with the version the database is at");
        }
        if (body.from() != null && !body.from().equals("schema_migrations")) {
            throw new Invalid("from: expected \"schema_migrations\" (db-migrator's history) or nothing, found \""
                    + body.from() + "\"");
        }
        repair.baseline(
                env,
                new MigrationRepair.BaselineOrder(
                        body.version(), body.description(), body.from() != null, body.release()),
                actor(request));
        return Response.noContent().build();
    }

    /**
     * Runs a drift check now (it replays the applied migrations on a scratch database) and returns its report. A POST:
     * it does work and stores a result, so no link, prefetch or crawler may start it.
     */
    @POST
    @Path("environments/{env}/drift")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public DriftReport drift(String env) {
        return drift.check(env, identity.getPrincipal().getName());
    }

    /** The latest stored drift check, without running one. */
    @GET
    @Path("environments/{env}/drift")
    public DriftReport lastDrift(String env) {
        return latestDrift(env);
    }

    @GET
    @Path("environments/{env}/drift/latest")
    public DriftReport latestDrift(String env) {
        return drift.latest(env).orElseThrow(() -> new NotFound(env + " was never checked for drift"));
    }

    private Actor actor(HttpServerRequest request) {
        return new Actor(identity.getPrincipal().getName(), ClientAddress.of(request));
    }
}
