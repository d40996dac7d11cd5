package org.cnx.conveyor.snapshot;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.cnx.conveyor.snapshot.SnapshotService.SnapshotFile;
import org.cnx.conveyor.snapshot.SnapshotService.SnapshotView;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code /api/snapshots}: list and describe snapshots (any login), download one (admins), and
 * {@code /api/environments/{env}/snapshots}: take one (admins).
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
class SnapshotResource {

    private final SnapshotService snapshots;
    private final SecurityIdentity identity;

    SnapshotResource(SnapshotService snapshots, SecurityIdentity identity) {
        this.snapshots = snapshots;
        this.identity = identity;
    }

    @GET
    @Path("snapshots")
    public List<SnapshotView> list(@RestQuery String source) {
        return snapshots.list(source);
    }

    @GET
    @Path("snapshots/{id}")
    public SnapshotView get(@RestPath long id) {
        return snapshots.get(id);
    }

    @GET
    @Path("snapshots/{id}/file")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response download(@RestPath long id) {
        SnapshotFile file = snapshots.download(id, identity.getPrincipal().getName());
        return Response.ok(file.path().toFile())
                .header("Content-Disposition", "attachment; filename=\"" + file.name() + "\"")
                .header("Content-Length", file.size())
                .build();
    }

    @POST
    @Path("environments/{env}/snapshots")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response take(@RestPath String env) {
        JobSummary job = snapshots.take(env, identity.getPrincipal().getName());
        return Response.accepted(job)
                .location(URI.create("/api/jobs/" + job.id()))
                .build();
    }
}
