package org.cnx.conveyor.environment;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.cnx.conveyor.auth.Role;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentDetail;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentSummary;
import org.cnx.conveyor.environment.EnvironmentViews.SyncResult;

/** Environments API: list, detail, sync of the definition files, and the current definition problems. */
@Path("/api/environments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class EnvironmentResource {

    private final EnvironmentService environments;

    EnvironmentResource(EnvironmentService environments) {
        this.environments = environments;
    }

    @GET
    public List<EnvironmentSummary> list() {
        return environments.list();
    }

    @GET
    @Path("problems")
    public List<String> problems() {
        return environments.problems().stream().map(Object::toString).toList();
    }

    @GET
    @Path("{name}")
    public EnvironmentDetail get(String name) {
        return environments.get(name);
    }

    @POST
    @Path("sync")
    @RolesAllowed(Role.ADMIN_NAME)
    public SyncResult sync() {
        return environments.sync();
    }
}
