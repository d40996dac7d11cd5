package org.cnx.conveyor.secret;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.cnx.conveyor.common.Role;

/** Admin API for secrets: names go out, values only come in. */
@Path("/api/secrets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
class SecretResource {

    /** The body of a secret change. */
    record SecretValue(String value) {}

    private final SecretService secrets;
    private final SecurityIdentity identity;

    SecretResource(SecretService secrets, SecurityIdentity identity) {
        this.secrets = secrets;
        this.identity = identity;
    }

    @GET
    public List<SecretService.SecretView> list() {
        return secrets.list();
    }

    @PUT
    @Path("{name}")
    public Response put(String name, SecretValue body) {
        boolean created = secrets.put(
                name,
                body == null ? null : body.value(),
                identity.getPrincipal().getName());
        return created
                ? Response.created(URI.create("/api/secrets/" + name)).build()
                : Response.noContent().build();
    }

    @DELETE
    @Path("{name}")
    public Response delete(String name) {
        secrets.delete(name);
        return Response.noContent().build();
    }
}
