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

        static native TemplateInstance detail(
                ReleaseView release, List<ReleaseView> others, Long previous, List<ReleaseHistory.Deploy> deploys);

        static native TemplateInstance diff(ReleaseDiff diff, MigrationChanges.Changes migrations);
    }

    /** Jobs listed in a release's deploy history. */
    static final int HISTORY = 100;

    private final ReleaseService releases;
    private final ReleaseHistory history;
    private final MigrationChanges migrations;

    ReleasePages(ReleaseService releases, ReleaseHistory history, MigrationChanges migrations) {
        this.releases = releases;
        this.history = history;
        this.migrations = migrations;
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
        // The compare form starts on the release before this one: "what does this release change".
        Long previous = others.stream()
                .filter(r -> r.id() < id)
                .map(ReleaseView::id)
                .findFirst()
                .orElse(null);
        return Templates.detail(release, others, previous, history.deploysOf(id, HISTORY));
    }

    /**
     * The diff form on the detail page submits {@code ?other=N}; this keeps the URL canonical and reads the diff from
     * the older release to the newer, so it says what the newer one changes.
     */
    @GET
    @Path("releases/{id}/diff")
    public Response diffForm(@RestPath long id, @RestQuery long other) {
        return Response.seeOther(URI.create("/releases/" + Math.min(id, other) + "/diff/" + Math.max(id, other)))
                .build();
    }

    @GET
    @Path("releases/{id}/diff/{other}")
    public TemplateInstance diff(@RestPath long id, @RestPath long other) {
        ReleaseView from = releases.get(id);
        ReleaseView to = releases.get(other);
        return Templates.diff(
                ReleaseService.diff(from, to), migrations.between(from, to).orElse(null));
    }
}
