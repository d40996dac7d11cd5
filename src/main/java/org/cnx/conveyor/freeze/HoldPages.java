package org.cnx.conveyor.freeze;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.freeze.Holds.FreezeRequest;
import org.cnx.conveyor.freeze.Holds.FreezeView;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The freezes page (leads create and delete windows) and the lock forms of the environment page. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
class HoldPages {

    @CheckedTemplate(basePath = "freeze")
    static class Templates {
        static native TemplateInstance freezes(List<FreezeView> freezes, String notice);
    }

    private final Holds holds;
    private final SecurityIdentity identity;

    HoldPages(Holds holds, SecurityIdentity identity) {
        this.holds = holds;
        this.identity = identity;
    }

    @GET
    @Path("freezes")
    public TemplateInstance freezes(@RestQuery String notice) {
        return Templates.freezes(holds.freezes(), notice);
    }

    @POST
    @Path("freezes")
    @RolesAllowed(Role.LEAD_NAME)
    public Response create(
            @RestForm String scope,
            @RestForm String target,
            @RestForm String cron,
            @RestForm String duration,
            @RestForm String zone,
            @RestForm String from,
            @RestForm String to,
            @RestForm String reason) {
        boolean stage = "stage".equals(scope);
        FreezeView created = holds.create(
                new FreezeRequest(
                        stage ? null : target,
                        stage ? target : null,
                        blankToNull(cron),
                        blankToNull(duration),
                        blankToNull(zone),
                        instant("from", from),
                        instant("to", to),
                        reason),
                me());
        return see("/freezes", "freeze #" + created.id() + " created");
    }

    @POST
    @Path("freezes/{id}/delete")
    @RolesAllowed(Role.LEAD_NAME)
    public Response delete(@RestPath long id) {
        holds.delete(id, me());
        return see("/freezes", "freeze #" + id + " deleted");
    }

    @POST
    @Path("environments/{name}/lock")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response lock(@RestPath String name, @RestForm String reason, @RestForm String expiresAt) {
        holds.lock(name, reason, instant("expiresAt", expiresAt), me());
        return see("/environments/" + name, "locked");
    }

    @POST
    @Path("environments/{name}/unlock")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response unlock(@RestPath String name) {
        holds.unlock(name, me(), identity.hasRole(Role.LEAD_NAME) || identity.hasRole(Role.ADMIN_NAME));
        return see("/environments/" + name, "unlocked");
    }

    private static Instant instant(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new Invalid(field + ": expected a time like 2026-12-24T00:00:00Z, found \"" + text + "\"");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private String me() {
        return identity.getPrincipal().getName();
    }

    private static Response see(String path, String notice) {
        return Response.seeOther(URI.create(path + "?notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8)))
                .build();
    }
}
