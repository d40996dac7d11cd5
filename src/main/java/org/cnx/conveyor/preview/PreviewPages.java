package org.cnx.conveyor.preview;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.web.ProblemException;
import org.jboss.resteasy.reactive.RestPath;

/** The Previews page, {@code GET /api/previews}, and the short demo links {@code /go/<environment>}. */
@Path("/")
class PreviewPages {

    @CheckedTemplate(basePath = "preview")
    static class Templates {
        static native TemplateInstance list(List<PreviewView> previews);
    }

    private final PreviewService previews;
    private final EnvironmentService environments;

    PreviewPages(PreviewService previews, EnvironmentService environments) {
        this.previews = previews;
        this.environments = environments;
    }

    @GET
    @Path("previews")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return Templates.list(previews.list(200));
    }

    @GET
    @Path("api/previews")
    @Produces(MediaType.APPLICATION_JSON)
    public List<PreviewView> list() {
        return previews.list(200);
    }

    /** Redirects to the environment's demo link ({@code /go/pr-12}, {@code /go/dev-alice}). */
    @GET
    @Path("go/{environment}")
    public Response go(@RestPath String environment) {
        String url = environments.get(environment).summary().url();
        if (url == null) {
            throw ProblemException.notFound("environment \"" + environment + "\" has no demo link");
        }
        return Response.seeOther(URI.create(url)).build();
    }
}
