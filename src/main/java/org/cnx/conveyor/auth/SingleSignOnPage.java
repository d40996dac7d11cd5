package org.cnx.conveyor.auth;

import io.quarkus.oidc.OidcSession;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.cnx.conveyor.web.ClientAddress;
import org.cnx.conveyor.web.Https;

/**
 * Where the single sign-on code flow ends ({@code /login/oidc}, authenticated only by the OIDC mechanism): the
 * provider's identity becomes a Conveyor user and a Conveyor session, and the provider's session cookie is dropped.
 */
@Path("/login/oidc")
@Produces(MediaType.TEXT_HTML)
class SingleSignOnPage {

    private final SingleSignOnAccounts accounts;
    private final SessionService sessions;
    private final SecurityIdentity identity;
    private final OidcSession oidcSession;
    private final LoginOptions options;

    SingleSignOnPage(
            SingleSignOnAccounts accounts,
            SessionService sessions,
            SecurityIdentity identity,
            OidcSession oidcSession,
            LoginOptions options) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.identity = identity;
        this.oidcSession = oidcSession;
        this.options = options;
    }

    @GET
    public Response complete(@Context HttpServerRequest request) {
        String address = ClientAddress.of(request);
        LoginOutcome outcome = accounts.login(OidcClaims.of(identity), address);
        // Conveyor's own session takes over; the provider's tokens are not kept.
        oidcSession.logout().await().indefinitely();
        if (!outcome.succeeded()) {
            return Response.status(403)
                    .entity(LoginPage.Templates.login("/", outcome.message(), options))
                    .build();
        }
        String session = sessions.start(outcome.user(), address);
        return Response.seeOther(URI.create("/"))
                .cookie(LoginPage.sessionCookie(session, Https.isHttps(request), NewCookie.DEFAULT_MAX_AGE))
                .build();
    }
}
