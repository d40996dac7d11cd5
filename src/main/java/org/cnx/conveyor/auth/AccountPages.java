package org.cnx.conveyor.auth;

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
import java.util.Arrays;
import java.util.List;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.web.Https;
import org.jboss.resteasy.reactive.RestCookie;
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

    /** Shows a token created by the request before, once: its cookie is dropped by this very answer. */
    @GET
    @Path("tokens")
    public Response tokens(
            @RestQuery String notice,
            @RestCookie(NewTokenCookie.NAME) String newToken,
            @Context HttpServerRequest request) {
        TokenService.CreatedToken created = NewTokenCookie.read(newToken, sessionSecret());
        Response.ResponseBuilder page = Response.ok(Templates.tokens(tokens.list(me()), created, notice));
        if (newToken != null) {
            page.cookie(NewTokenCookie.drop(Https.isHttps(request)));
        }
        return page.build();
    }

    /**
     * Post, redirect, get: the new token travels to the next page in a short-lived cookie only that page reads, so
     * reloading the page shows the list again instead of creating the token a second time (which a taken name refuses).
     */
    @POST
    @Path("tokens")
    public Response createToken(@RestForm String name, @Context HttpServerRequest request) {
        TokenService.CreatedToken created = tokens.create(me(), name);
        if (sessionSecret() == null) {
            // Basic or Bearer credentials, no browser session to sign the cookie with: show it right here.
            return Response.ok(Templates.tokens(tokens.list(me()), created, null))
                    .build();
        }
        return Response.seeOther(URI.create("/tokens"))
                .cookie(NewTokenCookie.of(created, sessionSecret(), Https.isHttps(request)))
                .build();
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

    private String sessionSecret() {
        return identity.getAttribute(CredentialService.CSRF_TOKEN_ATTRIBUTE);
    }

    private String me() {
        return identity.getPrincipal().getName();
    }
}
