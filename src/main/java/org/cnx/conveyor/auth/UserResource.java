package org.cnx.conveyor.auth;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.cnx.conveyor.common.Role;

/** Admin API for users: {@code /api/users}. */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
class UserResource {

    private final UserService users;

    UserResource(UserService users) {
        this.users = users;
    }

    @GET
    public List<UserService.UserView> list() {
        return users.list();
    }

    @POST
    public Response create(UserService.NewUser request) {
        UserService.UserView created = users.create(request);
        return Response.created(URI.create("/api/users/" + created.username()))
                .entity(created)
                .build();
    }

    @PUT
    @Path("{name}")
    public UserService.UserView update(String name, UserService.UserChange change) {
        return users.update(name, change);
    }

    @DELETE
    @Path("{name}")
    public Response delete(String name) {
        users.delete(name);
        return Response.noContent().build();
    }
}
