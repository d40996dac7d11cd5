package org.cnx.conveyor.job;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.job.JobViews.HistoryRow;
import org.cnx.conveyor.job.JobViews.JobDetail;
import org.cnx.conveyor.job.JobViews.JobSummary;

/** Jobs API: deploy, rollback, retry rollback, cancel, status, logs, history. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class JobResource {

    /**
     * The body of a deploy request; {@code allowIrreversible} confirms that migrations without an undo script may run.
     */
    record DeployRequest(Long release, Boolean allowIrreversible, String freezeOverride) {}

    private final JobService jobs;
    private final JobLogStore logs;
    private final SecurityIdentity identity;

    JobResource(JobService jobs, JobLogStore logs, SecurityIdentity identity) {
        this.jobs = jobs;
        this.logs = logs;
        this.identity = identity;
    }

    @POST
    @Path("environments/{env}/deployments")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response deploy(String env, DeployRequest request) {
        return accepted(jobs.submit(JobOrder.of(JobType.DEPLOY, env, me())
                .release(request == null ? null : request.release())
                .allowIrreversible(request != null && Boolean.TRUE.equals(request.allowIrreversible()))
                .overridingFreeze(request == null ? null : request.freezeOverride())));
    }

    @POST
    @Path("environments/{env}/rollback")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response rollback(String env) {
        return accepted(jobs.submit(JobOrder.of(JobType.ROLLBACK, env, me())));
    }

    @POST
    @Path("environments/{env}/retry-rollback")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response retryRollback(String env) {
        return accepted(jobs.submit(JobOrder.of(JobType.RETRY_ROLLBACK, env, me())));
    }

    @GET
    @Path("environments/{env}/history")
    public List<HistoryRow> history(String env, @QueryParam("limit") @DefaultValue("100") int limit) {
        return jobs.history(env, Math.min(limit, 1000));
    }

    @GET
    @Path("environments/{env}/jobs")
    public List<JobSummary> recent(String env, @QueryParam("limit") @DefaultValue("50") int limit) {
        return jobs.recent(env, Math.min(limit, 500));
    }

    /** The job; with {@code ?wait=SECONDS}, answered once it has finished or when that long has passed. */
    @GET
    @Path("jobs/{id}")
    public JobDetail get(long id, @QueryParam("wait") String wait) throws InterruptedException {
        if (wait == null || wait.isBlank()) {
            return jobs.detail(id);
        }
        int seconds;
        try {
            seconds = Integer.parseInt(wait.strip());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 0 || seconds > JobService.MAX_WAIT_SECONDS) {
            throw new Invalid(
                    "wait: expected whole seconds from 0 to " + JobService.MAX_WAIT_SECONDS + ", got '" + wait + "'");
        }
        return seconds == 0 ? jobs.detail(id) : jobs.detailOnceFinished(id, Duration.ofSeconds(seconds));
    }

    @POST
    @Path("jobs/{id}/cancel")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public JobSummary cancel(long id) {
        return jobs.cancel(id, me());
    }

    /** Log lines as JSON: after a sequence number (forward) or before one (paging back from the tail). */
    @GET
    @Path("jobs/{id}/log/lines")
    public List<LogLine> lines(
            long id,
            @QueryParam("after") Long after,
            @QueryParam("before") Long before,
            @QueryParam("limit") @DefaultValue("500") int limit) {
        jobs.summary(id);
        int bounded = Math.max(1, Math.min(limit, 5000));
        return before != null ? logs.before(id, before, bounded) : logs.after(id, after == null ? 0 : after, bounded);
    }

    /** The whole log searched for a text (any case, literally): how many lines contain it and the first ones. */
    @GET
    @Path("jobs/{id}/log/search")
    public JobLogStore.Search search(
            long id,
            @QueryParam("q") String text,
            @QueryParam("host") String host,
            @QueryParam("limit") @DefaultValue("200") int limit) {
        jobs.summary(id);
        if (text == null || text.isBlank()) {
            throw new Invalid("q: expected the text to search for");
        }
        return logs.search(id, text, host == null || host.isBlank() ? null : host, Math.max(1, Math.min(limit, 1000)));
    }

    @GET
    @Path("jobs/{id}/log.txt")
    @Produces(MediaType.TEXT_PLAIN)
    public Response raw(long id) {
        jobs.summary(id);
        StreamingOutput body = out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            try {
                logs.forEach(id, line -> {
                    try {
                        writer.write(line.toText());
                        writer.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } finally {
                writer.flush();
            }
        };
        return Response.ok(body)
                .header("Content-Disposition", "inline; filename=\"job-" + id + ".log\"")
                .build();
    }

    private Response accepted(JobSummary job) {
        return Response.accepted(job)
                .location(URI.create("/api/jobs/" + job.id()))
                .build();
    }

    private String me() {
        return identity.getPrincipal().getName();
    }
}
