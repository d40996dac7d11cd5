package org.cnx.conveyor.release;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.cnx.conveyor.release.ReleaseViews.ReleaseDiff;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Release list, detail and diff pages. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
class ReleasePages {

    @CheckedTemplate(basePath = "release")
    static class Templates {
        static native TemplateInstance list(List<ReleaseView> releases);

        static native TemplateInstance detail(ReleaseView release, List<ReleaseView> others);

        static native TemplateInstance diff(ReleaseDiff diff);
    }

    private final ReleaseService releases;

    ReleasePages(ReleaseService releases) {
        this.releases = releases;
    }

    @GET
    @Path("releases")
    public TemplateInstance list() {
        return Templates.list(releases.list(200));
    }

    @GET
    @Path("releases/{id}")
    public TemplateInstance detail(@RestPath long id) {
        ReleaseView release = releases.get(id);
        List<ReleaseView> others =
                releases.list(50).stream().filter(r -> r.id() != id).toList();
        return Templates.detail(release, others);
    }

    /** The diff form on the detail page submits {@code ?other=N}; this keeps the URL canonical. */
    @GET
    @Path("releases/{id}/diff")
    public Response diffForm(@RestPath long id, @RestQuery long other) {
        return Response.seeOther(URI.create("/releases/" + id + "/diff/" + other))
                .build();
    }

    @GET
    @Path("releases/{id}/diff/{other}")
    public TemplateInstance diff(@RestPath long id, @RestPath long other) {
        return Templates.diff(releases.diff(id, other));
    }
}
