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
import java.util.Optional;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

/** The login form and logout. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
class LoginPage {

    @CheckedTemplate(basePath = "auth")
    static class Templates {
        static native TemplateInstance login(String next, String error);
    }

    private final SessionService sessions;

    LoginPage(SessionService sessions) {
        this.sessions = sessions;
    }

    @GET
    @Path("login")
    public TemplateInstance form(@RestQuery String next) {
        return Templates.login(safeNext(next), null);
    }

    @POST
    @Path("login")
    public Response login(@RestForm String username, @RestForm String password, @RestForm String next,
            @Context HttpServerRequest request) {
        String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        Optional<String> session = sessions.login(username, password, address);
        if (session.isEmpty()) {
            return Response.status(401).entity(Templates.login(safeNext(next), "Wrong user name or password.")).build();
        }
        return Response.seeOther(URI.create(safeNext(next)))
                .cookie(sessionCookie(session.get(), request.isSSL(), NewCookie.DEFAULT_MAX_AGE))
                .build();
    }

    @POST
    @Path("logout")
    public Response logout(@RestCookie(ConveyorAuthMechanism.SESSION_COOKIE) String session, @Context HttpServerRequest request) {
        if (session != null) {
            sessions.logout(session);
        }
        return Response.seeOther(URI.create("/login")).cookie(sessionCookie("", request.isSSL(), 0)).build();
    }

    private static NewCookie sessionCookie(String value, boolean secure, int maxAge) {
        return new NewCookie.Builder(ConveyorAuthMechanism.SESSION_COOKIE)
                .value(value).path("/").httpOnly(true).secure(secure).maxAge(maxAge)
                .sameSite(NewCookie.SameSite.LAX).build();
    }

    /** Only local paths, so the login form cannot be used to send people to another site. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\") || next.startsWith("/login")) {
            return "/";
        }
        return next;
    }
}
