package org.cnx.conveyor.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnx.conveyor.common.DomainException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;
import org.jboss.resteasy.reactive.server.multipart.FormValue;

/** Turns every failure into a problem detail (API) or an error page (browser), never a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final Template error;

    ProblemMappers(@Location("error.html") Template error) {
        this.error = error;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri, HttpHeaders headers) {
        return render(e.problem(), uri, headers);
    }

    /** A service's refusal: its kind is the HTTP status, here and nowhere else. */
    @ServerExceptionMapper
    public Response refused(DomainException e, UriInfo uri, HttpHeaders headers) {
        return render(new Problem("about:blank", e.title(), status(e), e.getMessage(), e.errors()), uri, headers);
    }

    private static int status(DomainException e) {
        if (e instanceof DomainException.Invalid) {
            return 400;
        } else if (e instanceof DomainException.Forbidden) {
            return 403;
        } else if (e instanceof DomainException.NotFound) {
            return 404;
        } else if (e instanceof DomainException.Conflict) {
            return 409;
        }
        return 413;
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri, HttpHeaders headers) {
        return render(Problem.of(403, "Forbidden", "Your role does not allow this action."), uri, headers);
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e, UriInfo uri, HttpHeaders headers) {
        return Problem.of(401, "Unauthorized", "Log in or send valid credentials.")
                .toResponse();
    }

    /**
     * A body that is not JSON, or JSON of the wrong shape: 400 with a problem detail saying where, like every other
     * error (Quarkus' own mapper answers these with an empty body). The body's content is not echoed back.
     */
    @ServerExceptionMapper({
        JsonProcessingException.class,
        JsonParseException.class,
        StreamReadException.class,
        JsonMappingException.class,
        DatabindException.class,
        MismatchedInputException.class,
        InvalidFormatException.class
    })
    public Response unreadableJson(JsonProcessingException e, UriInfo uri, HttpHeaders headers) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        String detail;
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.contains("end-of-input")) {
            detail = "body: expected valid JSON, but it ends early" + where;
        } else if (e instanceof JsonMappingException mapping
                && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                    .orElse("");
            detail = field + ": expected a value of another type or form" + where;
        } else if (e instanceof JsonMappingException) {
            detail = "body: expected a JSON object of another shape" + where;
        } else {
            detail = "body: expected valid JSON" + where;
        }
        return render(Problem.of(400, "Invalid request", detail), uri, headers);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri, HttpHeaders headers) {
        if (e.getCause() instanceof JsonProcessingException json) {
            // Quarkus' JSON reader wraps a syntax error (a truncated body, say) into a bare 400.
            return unreadableJson(json, uri, headers);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed", e);
            return render(
                    Problem.of(status, "Server error", "Conveyor failed to handle this request; see its log."),
                    uri,
                    headers);
        }
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return render(Problem.of(status, title, e.getMessage()), uri, headers);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri, HttpHeaders headers) {
        LOG.error("Request failed", e);
        return render(
                Problem.of(500, "Server error", "Conveyor failed to handle this request; see its log."), uri, headers);
    }

    private Response render(Problem problem, UriInfo uri, HttpHeaders headers) {
        boolean page = !uri.getPath().startsWith("/api/")
                && headers.getAcceptableMediaTypes().stream()
                        .anyMatch(t -> t.isCompatible(MediaType.TEXT_HTML_TYPE) && !t.isWildcardType());
        if (page && REFUSALS.contains(problem.status())) {
            Response back = backToTheForm(problem, uri, headers);
            if (back != null) {
                return back;
            }
        }
        if (page) {
            return Response.status(problem.status())
                    .type(MediaType.TEXT_HTML_TYPE)
                    .entity(error.data("problem", problem).render())
                    .build();
        }
        return problem.toResponse();
    }

    /** Refusals a user can act on at the form: invalid input, a role that does not allow it, a conflict. */
    private static final java.util.Set<Integer> REFUSALS = java.util.Set.of(400, 403, 409);

    /**
     * A plain form post (no script sent it) that was refused goes back to the page it came from, which renders the
     * problem next to the form with what was typed ({@link FormRefusal}); a post sent by {@code js/forms.js} gets the
     * error page, which the script reads. Only the path of the referring page is used, so the answer never leaves
     * Conveyor.
     */
    private static Response backToTheForm(Problem problem, UriInfo uri, HttpHeaders headers) {
        ResteasyReactiveRequestContext request = CurrentRequestManager.get();
        String referer = headers.getHeaderString("Referer");
        if (request == null
                || !"POST".equals(request.getMethod())
                || headers.getHeaderString("X-Requested-With") != null
                || referer == null
                || !sameOrigin(headers)
                || !headers.getMediaType().isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
            return null;
        }
        URI page;
        try {
            URI from = new URI(referer);
            if (from.getRawPath() == null
                    || !from.getRawPath().startsWith("/")
                    || from.getRawPath().startsWith("/api/")) {
                return null;
            }
            // The notice of an earlier success ("?notice=locked") would contradict the refusal.
            String query = from.getQuery() == null
                    ? null
                    : java.util.Arrays.stream(from.getQuery().split("&"))
                            .filter(p -> !p.startsWith("notice="))
                            .reduce((a, b) -> a + "&" + b)
                            .orElse(null);
            page = new URI(null, null, from.getPath(), query, null);
        } catch (URISyntaxException e) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        FormData form = request.getFormData();
        if (form != null) {
            for (String name : form) {
                FormValue value = form.getFirst(name);
                if (value != null && !value.isFileItem()) {
                    values.put(name, value.getValue());
                }
            }
        }
        String cookie = FormRefusal.cookieValue(uri.getPath(), problem.detail(), problem.errors(), values);
        return Response.seeOther(page)
                .header(
                        "Set-Cookie",
                        FormRefusal.COOKIE + "=" + cookie + "; Path=/; Max-Age=60; HttpOnly; SameSite=Strict")
                .build();
    }

    /**
     * Only a post from Conveyor's own pages leaves a refusal for the next page: another site's post (which the CSRF
     * check refuses) must not put its text next to a form.
     */
    private static boolean sameOrigin(HttpHeaders headers) {
        String site = headers.getHeaderString("Sec-Fetch-Site");
        if (site != null) {
            return site.equals("same-origin");
        }
        String origin = headers.getHeaderString("Origin");
        String host = headers.getHeaderString("Host");
        try {
            return origin != null && host != null && host.equalsIgnoreCase(new URI(origin).getRawAuthority());
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
