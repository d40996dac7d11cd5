package org.cnx.conveyor.artifact;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.cnx.conveyor.artifact.ArtifactUploads.Stored;
import org.cnx.conveyor.common.DomainException.NotFound;
import org.cnx.conveyor.common.Role;

/** Artifact uploads API: put an artifact's bytes under its checksum (developers and up), ask whether it is here. */
@Path("/api/artifacts")
class ArtifactResource {

    private final ArtifactUploads uploads;
    private final SecurityIdentity identity;

    ArtifactResource(ArtifactUploads uploads, SecurityIdentity identity) {
        this.uploads = uploads;
        this.identity = identity;
    }

    /** 201 when stored now, 200 when Conveyor had it already (the body is then not read). */
    @PUT
    @Path("{sha256}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response upload(String sha256, InputStream body, @HeaderParam("Content-Length") String length)
            throws IOException {
        Stored stored = uploads.upload(
                sha256, body, declared(length), identity.getPrincipal().getName());
        if (stored.created()) {
            return Response.created(URI.create("/api/artifacts/" + sha256))
                    .entity(stored)
                    .build();
        }
        return Response.ok(stored).build();
    }

    /** 200 with the artifact's size in {@code Content-Length}'s stead ({@code X-Artifact-Size}), 404 when absent. */
    @HEAD
    @Path("{sha256}")
    public Response exists(String sha256) {
        long size =
                uploads.find(sha256).orElseThrow(() -> new NotFound("no uploaded artifact has the sha256 " + sha256));
        return Response.ok().header("X-Artifact-Size", size).build();
    }

    private static long declared(String length) {
        try {
            return length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
