package org.cnx.conveyor.auth;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URISyntaxException;
import org.cnx.conveyor.web.ClientAddress;
import org.cnx.conveyor.web.Https;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

/** The login form and logout. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
class LoginPage {

    @CheckedTemplate(basePath = "auth")
    static class Templates {
        static native TemplateInstance login(String next, String error, LoginOptions options);
    }

    private final PasswordLogin logins;
    private final SessionService sessions;
    private final LoginOptions options;

    LoginPage(PasswordLogin logins, SessionService sessions, LoginOptions options) {
        this.logins = logins;
        this.sessions = sessions;
        this.options = options;
    }

    @GET
    @Path("login")
    public TemplateInstance form(@RestQuery String next) {
        return Templates.login(safeNext(next), null, options);
    }

    @POST
    @Path("login")
    public Response login(
            @RestForm String username,
            @RestForm String password,
            @RestForm String next,
            @Context HttpServerRequest request) {
        String address = ClientAddress.of(request);
        LoginOutcome outcome = logins.attempt(username, password, address, PasswordLogin.Channel.FORM);
        if (!outcome.succeeded()) {
            Response.ResponseBuilder refused = Response.status(status(outcome))
                    .entity(Templates.login(safeNext(next), outcome.message(), options));
            if (outcome.retryAfter() != null) {
                refused.header("Retry-After", outcome.retryAfterSeconds());
            }
            return refused.build();
        }
        String session = sessions.start(outcome.user(), address);
        return Response.seeOther(URI.create(safeNext(next)))
                .cookie(sessionCookie(session, Https.isHttps(request), NewCookie.DEFAULT_MAX_AGE))
                .build();
    }

    private static int status(LoginOutcome outcome) {
        return switch (outcome.result()) {
            case THROTTLED -> 429;
            case LOCAL_LOGIN_OFF -> 403;
            default -> 401;
        };
    }

    @POST
    @Path("logout")
    public Response logout(
            @RestCookie(ConveyorAuthMechanism.SESSION_COOKIE) String session, @Context HttpServerRequest request) {
        if (session != null) {
            sessions.logout(session, ClientAddress.of(request));
        }
        return Response.seeOther(URI.create("/login"))
                .cookie(sessionCookie("", Https.isHttps(request), 0))
                .build();
    }

    /** HttpOnly, SameSite=Lax, and Secure whenever the browser reached Conveyor over HTTPS (directly or via a proxy). */
    static NewCookie sessionCookie(String value, boolean secure, int maxAge) {
        return new NewCookie.Builder(ConveyorAuthMechanism.SESSION_COOKIE)
                .value(value)
                .path("/")
                .httpOnly(true)
                .secure(secure)
                .maxAge(maxAge)
                .sameSite(NewCookie.SameSite.LAX)
                .build();
    }

    /**
     * Only local paths, so the login form cannot be used to send people to another site. Control characters and
     * anything that is not a valid URI reference give the default too: browsers drop tabs and line breaks from a
     * location ({@code /\t/evil.example} would become {@code //evil.example}), and a header cannot carry them.
     */
    static String safeNext(String next) {
        if (next == null
                || !next.startsWith("/")
                || next.startsWith("//")
                || next.contains("\\")
                || next.startsWith("/login")
                || next.chars()
                        .anyMatch(
                                c -> c < 0x20 || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c))) {
            return "/";
        }
        try {
            new URI(next);
        } catch (URISyntaxException e) {
            return "/";
        }
        return next;
    }
}
