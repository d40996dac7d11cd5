package org.cnx.conveyor.runbook;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.environment.definition.RunbookSpec;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.jboss.resteasy.reactive.RestPath;

/** {@code /api/environments/{env}/runbooks}: list them, and run one (a job). */
@Path("/api/environments/{env}/runbooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class RunbookResource {

    /** The body of a run request. */
    record RunRequest(Map<String, String> parameters, String confirm) {}

    private final Runbooks runbooks;
    private final SecurityIdentity identity;

    RunbookResource(Runbooks runbooks, SecurityIdentity identity) {
        this.runbooks = runbooks;
        this.identity = identity;
    }

    @GET
    public List<RunbookSpec> list(@RestPath String env) {
        return runbooks.of(env);
    }

    @POST
    @Path("{name}/runs")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response run(@RestPath String env, @RestPath String name, RunRequest request) {
        JobSummary job = runbooks.start(
                env,
                name,
                request == null ? Map.of() : request.parameters(),
                request == null ? null : request.confirm(),
                identity);
        return Response.accepted(job)
                .location(URI.create("/api/jobs/" + job.id()))
                .build();
    }
}
