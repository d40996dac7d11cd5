package org.cnx.conveyor.web;

import io.quarkus.qute.Template;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into a problem detail (API) or an error page (browser), never a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final Template error;

    ProblemMappers(@io.quarkus.qute.Location("error.html") Template error) {
        this.error = error;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri, HttpHeaders headers) {
        return render(e.problem(), uri, headers);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri, HttpHeaders headers) {
        return render(Problem.of(403, "Forbidden", "Your role does not allow this action."), uri, headers);
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e, UriInfo uri, HttpHeaders headers) {
        return Problem.of(401, "Unauthorized", "Log in or send valid credentials.").toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri, HttpHeaders headers) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed", e);
            return render(Problem.of(status, "Server error", "Conveyor failed to handle this request; see its log."), uri, headers);
        }
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return render(Problem.of(status, title, e.getMessage()), uri, headers);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri, HttpHeaders headers) {
        LOG.error("Request failed", e);
        return render(Problem.of(500, "Server error", "Conveyor failed to handle this request; see its log."), uri, headers);
    }

    private Response render(Problem problem, UriInfo uri, HttpHeaders headers) {
        boolean page = !uri.getPath().startsWith("/api/")
                && headers.getAcceptableMediaTypes().stream().anyMatch(t -> t.isCompatible(MediaType.TEXT_HTML_TYPE) && !t.isWildcardType());
        if (page) {
            return Response.status(problem.status()).type(MediaType.TEXT_HTML_TYPE)
                    .entity(error.data("problem", problem).render()).build();
        }
        return problem.toResponse();
    }
}
