package org.cnx.conveyor.preview;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The Previews page. */
@Path("/previews")
class PreviewPages {

    @CheckedTemplate(basePath = "preview")
    static class Templates {
        static native TemplateInstance list(List<PreviewView> previews);
    }

    private final PreviewService previews;

    PreviewPages(PreviewService previews) {
        this.previews = previews;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return Templates.list(previews.list(200));
    }
}
