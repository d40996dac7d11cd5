package org.cnx.conveyor.migrate;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.migrate.MigrationRepair.Actor;
import org.cnx.conveyor.migrate.MigrationViews.DriftReport;
import org.cnx.conveyor.migrate.MigrationViews.MigrationStatus;
import org.cnx.conveyor.web.ClientAddress;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The migrations page of an environment: status, repairs, drift. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
class MigrationPages {

    @CheckedTemplate(basePath = "migrate")
    static class Templates {
        static native TemplateInstance migrations(MigrationStatus status, DriftReport drift, String notice);
    }

    private final MigrationStatusService status;
    private final MigrationRepair repair;
    private final DriftService drift;
    private final SecurityIdentity identity;

    MigrationPages(
            MigrationStatusService status, MigrationRepair repair, DriftService drift, SecurityIdentity identity) {
        this.status = status;
        this.repair = repair;
        this.drift = drift;
        this.identity = identity;
    }

    @GET
    @Path("environments/{name}/migrations")
    public TemplateInstance page(@RestPath String name, @RestQuery String notice) {
        return Templates.migrations(status.status(name), drift.latest(name).orElse(null), notice);
    }

    @POST
    @Path("environments/{name}/migrations/run")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response runPending(@RestPath String name, @Context HttpServerRequest request) {
        return Response.seeOther(URI.create(
                        "/jobs/" + repair.runPending(name, actor(request)).id()))
                .build();
    }

    @POST
    @Path("environments/{name}/migrations/mark")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response mark(
            @RestPath String name,
            @RestForm String version,
            @RestForm String as,
            @RestForm boolean deferred,
            @Context HttpServerRequest request) {
        if ("applied".equals(as)) {
            repair.markApplied(name, version, actor(request));
        } else {
            repair.markNotApplied(name, version, deferred, actor(request));
        }
        return back(name, "V" + version + " marked " + ("applied".equals(as) ? "applied" : "not applied"));
    }

    @POST
    @Path("environments/{name}/migrations/baseline")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response baseline(
            @RestPath String name,
            @RestForm String version,
            @RestForm String description,
            @RestForm String from,
            @Context HttpServerRequest request) {
        boolean fromSchemaMigrations = "schema_migrations".equals(from);
        repair.baseline(
                name,
                new MigrationRepair.BaselineOrder(
                        version == null || version.isBlank() ? null : version, description, fromSchemaMigrations, null),
                actor(request));
        return back(name, fromSchemaMigrations ? "history taken from schema_migrations" : "baselined");
    }

    @POST
    @Path("environments/{name}/drift")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response checkDrift(@RestPath String name) {
        DriftReport report = drift.check(name, identity.getPrincipal().getName());
        return back(name, report.error() != null ? "drift check failed" : report.clean() ? "no drift" : "drift found");
    }

    private static Response back(String name, String notice) {
        return Response.seeOther(URI.create("/environments/" + name + "/migrations?notice="
                        + URLEncoder.encode(notice, StandardCharsets.UTF_8)))
                .build();
    }

    private Actor actor(HttpServerRequest request) {
        return new Actor(identity.getPrincipal().getName(), ClientAddress.of(request));
    }
}
