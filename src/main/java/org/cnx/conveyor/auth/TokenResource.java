package org.cnx.conveyor.auth;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.cnx.conveyor.common.Role;

/** The caller's own API tokens: {@code /api/tokens}. */
@Path("/api/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class TokenResource {

    /** The body of a token request. */
    record NewToken(String name) {}

    private final TokenService tokens;
    private final SecurityIdentity identity;

    TokenResource(TokenService tokens, SecurityIdentity identity) {
        this.tokens = tokens;
        this.identity = identity;
    }

    @GET
    public List<TokenService.TokenView> list() {
        return tokens.list(identity.getPrincipal().getName());
    }

    @POST
    public Response create(NewToken request) {
        TokenService.CreatedToken created =
                tokens.create(identity.getPrincipal().getName(), request == null ? null : request.name());
        return Response.created(URI.create("/api/tokens/" + created.id()))
                .entity(created)
                .build();
    }

    @DELETE
    @Path("{id}")
    public Response revoke(long id) {
        tokens.revoke(identity.getPrincipal().getName(), identity.hasRole(Role.ADMIN_NAME), id);
        return Response.noContent().build();
    }
}
