package org.cnx.conveyor.clone;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;
import org.cnx.conveyor.web.ClientAddress;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

/** The Clones page: "Spin up my clone", and per clone Deploy, Reset data and Tear down; each form leads to its job. */
@Path("/clones")
@Produces(MediaType.TEXT_HTML)
class ClonePages {

    @CheckedTemplate(basePath = "clone")
    static class Templates {
        static native TemplateInstance list(List<CloneView> mine, List<CloneView> others, List<ReleaseView> releases);
    }

    private final CloneService clones;
    private final CloneQueries queries;
    private final ReleaseService releases;
    private final SecurityIdentity identity;
    private final HttpServerRequest request;

    ClonePages(
            CloneService clones,
            CloneQueries queries,
            ReleaseService releases,
            SecurityIdentity identity,
            HttpServerRequest request) {
        this.clones = clones;
        this.queries = queries;
        this.releases = releases;
        this.identity = identity;
        this.request = request;
    }

    @GET
    public TemplateInstance page() {
        String me = identity.getPrincipal().getName();
        List<CloneView> all = queries.list(null);
        return Templates.list(
                all.stream().filter(c -> c.owner().equals(me)).toList(),
                all.stream().filter(c -> !c.owner().equals(me)).toList(),
                releases.list(20));
    }

    @POST
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response create(@RestForm String release) {
        return toJob(clones.create(actor(), releaseNumber(release)));
    }

    @POST
    @Path("{environment}/deploy")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response deploy(@RestPath String environment, @RestForm Long release) {
        return toJob(clones.deploy(actor(), environment, release));
    }

    @POST
    @Path("{environment}/reset")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response reset(@RestPath String environment) {
        return toJob(clones.resetData(actor(), environment));
    }

    @POST
    @Path("{environment}/teardown")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response tearDown(@RestPath String environment) {
        return toJob(clones.tearDown(actor(), environment));
    }

    private static Long releaseNumber(String field) {
        if (field == null || field.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(field.trim());
        } catch (NumberFormatException e) {
            throw new Invalid("release: expected a release number, found \"" + field + "\"");
        }
    }

    private CloneService.Actor actor() {
        return new CloneService.Actor(
                identity.getPrincipal().getName(), identity.hasRole(Role.ADMIN_NAME), ClientAddress.of(request));
    }

    private static Response toJob(CloneService.Started started) {
        return Response.seeOther(URI.create("/jobs/" + started.job())).build();
    }
}
