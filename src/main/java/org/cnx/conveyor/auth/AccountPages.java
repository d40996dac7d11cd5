package org.cnx.conveyor.auth;

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
import java.util.Arrays;
import java.util.List;
import org.cnx.conveyor.common.Role;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Pages for the caller's API tokens and, for admins, the users. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
class AccountPages {

    @CheckedTemplate(basePath = "auth")
    static class Templates {
        static native TemplateInstance tokens(
                List<TokenService.TokenView> tokens, TokenService.CreatedToken created, String notice);

        static native TemplateInstance users(List<UserService.UserView> users, String notice);
    }

    private final TokenService tokens;
    private final UserService users;
    private final SecurityIdentity identity;

    AccountPages(TokenService tokens, UserService users, SecurityIdentity identity) {
        this.tokens = tokens;
        this.users = users;
        this.identity = identity;
    }

    @GET
    @Path("tokens")
    public TemplateInstance tokens(@RestQuery String notice) {
        return Templates.tokens(tokens.list(me()), null, notice);
    }

    /** Renders the new token directly (not a redirect): it must appear exactly once. */
    @POST
    @Path("tokens")
    public TemplateInstance createToken(@RestForm String name) {
        TokenService.CreatedToken created = tokens.create(me(), name);
        return Templates.tokens(tokens.list(me()), created, null);
    }

    @POST
    @Path("tokens/{id}/revoke")
    public Response revokeToken(@RestPath long id) {
        tokens.revoke(me(), identity.hasRole(Role.ADMIN_NAME), id);
        return Response.seeOther(URI.create("/tokens?notice=Token+revoked")).build();
    }

    @GET
    @Path("users")
    @RolesAllowed(Role.ADMIN_NAME)
    public TemplateInstance users(@RestQuery String notice) {
        return Templates.users(users.list(), notice);
    }

    @POST
    @Path("users")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response createUser(@RestForm String username, @RestForm String password, @RestForm List<String> roles) {
        users.create(new UserService.NewUser(username, password, roles));
        return Response.seeOther(URI.create("/users?notice=User+created")).build();
    }

    @POST
    @Path("users/{name}")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response updateUser(@RestPath String name, @RestForm String password, @RestForm String roles) {
        List<String> roleList = roles == null || roles.isBlank() ? null : Arrays.asList(roles.split("[ ,]+"));
        String newPassword = password == null || password.isBlank() ? null : password;
        users.update(name, new UserService.UserChange(newPassword, roleList));
        return Response.seeOther(URI.create("/users?notice=User+updated")).build();
    }

    @POST
    @Path("users/{name}/delete")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response deleteUser(@RestPath String name) {
        users.delete(name);
        return Response.seeOther(URI.create("/users?notice=User+deleted")).build();
    }

    private String me() {
        return identity.getPrincipal().getName();
    }
}
