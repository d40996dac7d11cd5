package org.cnx.conveyor.job;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateExtension;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.cnx.conveyor.common.Role;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.job.JobViews.JobDetail;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The job page (progress grid and live log) and the forms that start or stop jobs from the environment page. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
class JobPages {

    /** Lines rendered with the page; older ones are fetched on demand, so a huge log opens fast. */
    static final int TAIL_LINES = 200;
    /** A jump to a line shows this many lines, starting a few before it for context. */
    static final int WINDOW_LINES = 500;

    static final int WINDOW_BEFORE = 20;
    static final int SEARCH_RESULTS = 200;

    @CheckedTemplate(basePath = "job")
    static class Templates {
        static native TemplateInstance detail(
                JobDetail detail,
                List<LogLine> lines,
                LogSections log,
                boolean earlier,
                boolean window,
                Long at,
                String q,
                String host,
                JobLogStore.Search search,
                String site);
    }

    /** Time formats shared by the job and environment pages: {@code {instant.when}}, {@code {instant.clock}}. */
    @TemplateExtension
    static class Times {
        private static final DateTimeFormatter WHEN =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
        private static final DateTimeFormatter CLOCK =
                DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

        static String when(Instant at) {
            return at == null ? "" : WHEN.format(at);
        }

        static String clock(Instant at) {
            return at == null ? "" : CLOCK.format(at);
        }
    }

    private final JobService jobs;
    private final JobLogStore logs;
    private final SecurityIdentity identity;
    private final EnvironmentService environments;

    JobPages(JobService jobs, JobLogStore logs, SecurityIdentity identity, EnvironmentService environments) {
        this.environments = environments;
        this.jobs = jobs;
        this.logs = logs;
        this.identity = identity;
    }

    @GET
    @Path("jobs/{id}")
    public TemplateInstance job(@RestPath long id, @RestQuery Long at, @RestQuery String q, @RestQuery String host) {
        JobDetail detail = jobs.detail(id);
        String text = q == null || q.isBlank() ? null : q.strip();
        String onHost = host == null || host.isBlank() ? null : host;
        JobLogStore.Search search = text == null ? null : logs.search(id, text, onHost, SEARCH_RESULTS);
        // Without "at" the page opens on the tail and follows it; with it, on the lines around that one.
        List<LogLine> lines = at == null
                ? logs.before(id, Long.MAX_VALUE, TAIL_LINES)
                : logs.after(id, Math.max(0, at - WINDOW_BEFORE - 1), WINDOW_LINES);
        boolean window = at != null && !lines.isEmpty();
        if (at != null && lines.isEmpty()) {
            lines = logs.before(id, Long.MAX_VALUE, TAIL_LINES);
        }
        boolean earlier = !lines.isEmpty() && lines.get(0).seq() > 1;
        String site = environments.get(detail.job().environment()).summary().url();
        LogSections sections = LogSections.of(detail, lines, window ? at : null);
        return Templates.detail(
                detail, lines, sections, earlier, window, window ? at : null, text, onHost, search, site);
    }

    @POST
    @Path("jobs/{id}/cancel")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response cancel(@RestPath long id) {
        return toJobPage(jobs.cancel(id, me()));
    }

    @POST
    @Path("environments/{name}/deploy")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response deploy(@RestPath String name, @RestForm Long release, @RestForm boolean allowIrreversible) {
        return toJobPage(jobs.submit(
                JobOrder.of(JobType.DEPLOY, name, me()).release(release).allowIrreversible(allowIrreversible)));
    }

    @POST
    @Path("environments/{name}/rollback")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response rollback(@RestPath String name) {
        return toJobPage(jobs.submit(JobOrder.of(JobType.ROLLBACK, name, me())));
    }

    @POST
    @Path("environments/{name}/retry-rollback")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response retryRollback(@RestPath String name) {
        return toJobPage(jobs.submit(JobOrder.of(JobType.RETRY_ROLLBACK, name, me())));
    }

    /**
     * The deploy form's Plan button: posted like Deploy (so the form's CSRF token never lands in a URL, a history or
     * a proxy log), answered with the plan's own address.
     */
    @POST
    @Path("environments/{name}/plan")
    @RolesAllowed(Role.DEVELOPER_NAME)
    public Response plan(@RestPath String name, @RestForm Long release) {
        UriBuilder plan = UriBuilder.fromPath("/environments/{name}/plan");
        if (release != null) {
            plan.queryParam("release", release);
        }
        return Response.seeOther(plan.build(name)).build();
    }

    private static Response toJobPage(JobSummary job) {
        return Response.seeOther(URI.create("/jobs/" + job.id())).build();
    }

    private String me() {
        return identity.getPrincipal().getName();
    }
}
