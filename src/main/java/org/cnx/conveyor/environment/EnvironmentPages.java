package org.cnx.conveyor.environment;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.cnx.conveyor.common.Role;

/** The "Sync definitions" form of the dashboard (the dashboard and environment pages are {@code job.EnvironmentPanelPages}). */
@Path("/")
@Produces(MediaType.TEXT_HTML)
class EnvironmentPages {

    private final DefinitionSync definitions;

    EnvironmentPages(DefinitionSync definitions) {
        this.definitions = definitions;
    }

    @POST
    @Path("environments/sync")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response sync() {
        EnvironmentViews.SyncResult result = definitions.sync();
        String notice = result.clean()
                ? "Definitions synced: " + result.environments().size() + " environment(s), "
                        + result.changed().size() + " changed"
                : "Definitions synced with " + result.problems().size()
                        + " problem(s); broken files kept their last good copy";
        return Response.seeOther(URI.create("/?notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8)))
                .build();
    }
}
