package org.cnx.conveyor.preview;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/previews}: the previews, open ones first. */
@Path("/api/previews")
@Produces(MediaType.APPLICATION_JSON)
class PreviewResource {

    private final PreviewService previews;

    PreviewResource(PreviewService previews) {
        this.previews = previews;
    }

    @GET
    public List<PreviewView> list() {
        return previews.list(200);
    }
}
