package org.cnx.conveyor.preview;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.environment.EnvironmentService;
import org.jboss.resteasy.reactive.RestPath;

/** Short demo links: {@code /go/pr-12} or {@code /go/dev-alice} redirects to the environment's demo link. */
@Path("/go")
class DemoLinks {

    private final EnvironmentService environments;

    DemoLinks(EnvironmentService environments) {
        this.environments = environments;
    }

    @GET
    @Path("{environment}")
    public Response go(@RestPath String environment) {
        String url = environments.get(environment).summary().url();
        if (url == null) {
            throw new NotFound("environment \"" + environment + "\" has no demo link");
        }
        return Response.seeOther(URI.create(url)).build();
    }
}
