package org.cnx.conveyor.environment;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentDetail;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentSummary;
import org.cnx.conveyor.environment.EnvironmentViews.SyncResult;

/** Environments API: list, detail, sync of the definition files, and the current definition problems. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class EnvironmentResource {

    private final EnvironmentService environments;
    private final DefinitionSync definitions;
    private final InventoryImportService importer;
    private final SecurityIdentity identity;

    EnvironmentResource(
            EnvironmentService environments,
            DefinitionSync definitions,
            InventoryImportService importer,
            SecurityIdentity identity) {
        this.environments = environments;
        this.definitions = definitions;
        this.importer = importer;
        this.identity = identity;
    }

    @GET
    @Path("environments")
    public List<EnvironmentSummary> list() {
        return environments.list();
    }

    /** The problems found by the latest sync, one {@code file:line:col: path: message} line each. */
    @GET
    @Path("definition-problems")
    public List<String> problems() {
        return definitions.problems().stream().map(Object::toString).toList();
    }

    @GET
    @Path("environments/{name}")
    public EnvironmentDetail get(String name) {
        return environments.get(name);
    }

    @POST
    @Path("environments/sync")
    @RolesAllowed(Role.ADMIN_NAME)
    public SyncResult sync() {
        return definitions.sync();
    }

    /** Writes {@code environments/<name>.yml} from an Ansible inventory directory and creates a release of its pins. */
    @POST
    @Path("environments/import")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response importInventory(InventoryImportService.ImportRequest request) {
        InventoryImportService.Imported imported =
                importer.importInventory(request, identity.getPrincipal().getName());
        return Response.created(URI.create("/api/environments/" + imported.environment()))
                .entity(imported)
                .build();
    }
}
