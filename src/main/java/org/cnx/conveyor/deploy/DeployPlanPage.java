package org.cnx.conveyor.deploy;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The plan of a deploy as a page: what changes on each host, which migrations run, which cannot be undone. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
class DeployPlanPage {

    @CheckedTemplate(basePath = "deploy")
    static class Templates {
        static native TemplateInstance plan(DeployPlan plan);
    }

    private final DeployPlanner plans;

    DeployPlanPage(DeployPlanner plans) {
        this.plans = plans;
    }

    @GET
    @Path("environments/{name}/plan")
    public TemplateInstance plan(@RestPath String name, @RestQuery Long release) {
        return Templates.plan(plans.plan(name, release));
    }
}
