package org.cnx.conveyor.environment;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentDetail;
import org.cnx.conveyor.environment.EnvironmentViews.StageGroup;
import org.cnx.conveyor.environment.definition.DefinitionProblem;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The dashboard (environments by stage) and one page per environment. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
class EnvironmentPages {

    @CheckedTemplate(basePath = "environment")
    static class Templates {
        static native TemplateInstance dashboard(List<StageGroup> stages, List<DefinitionProblem> problems, String notice);

        static native TemplateInstance detail(EnvironmentDetail env);
    }

    private final EnvironmentService environments;

    EnvironmentPages(EnvironmentService environments) {
        this.environments = environments;
    }

    @GET
    public TemplateInstance dashboard(@RestQuery String notice) {
        return Templates.dashboard(environments.byStage(), environments.problems(), notice);
    }

    @GET
    @Path("environments/{name}")
    public TemplateInstance detail(@RestPath String name) {
        return Templates.detail(environments.get(name));
    }

    @POST
    @Path("environments/sync")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response sync() {
        EnvironmentViews.SyncResult result = environments.sync();
        String notice = result.clean()
                ? "Definitions synced: " + result.environments().size() + " environment(s), " + result.changed().size() + " changed"
                : "Definitions synced with " + result.problems().size() + " problem(s); broken files kept their last good copy";
        return Response.seeOther(URI.create("/?notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8))).build();
    }
}
