package org.cnx.conveyor.job;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.environment.DefinitionSync;
import org.cnx.conveyor.environment.EnvironmentHolds;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentDetail;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentSummary;
import org.cnx.conveyor.environment.EnvironmentViews.StageGroup;
import org.cnx.conveyor.environment.definition.DefinitionProblem;
import org.cnx.conveyor.job.EnvironmentActivity.Panel;
import org.cnx.conveyor.job.JobViews.JobSummary;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The dashboard (environments by stage, each with its last job) and one page per environment (its definition, with
 * its history, jobs and deploy form): pages of environments with their jobs, so they live beside the jobs.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
class EnvironmentPanelPages {

    @CheckedTemplate(basePath = "environment")
    static class Templates {
        static native TemplateInstance dashboard(
                List<StageGroup> stages,
                List<DefinitionProblem> problems,
                Map<String, JobSummary> latest,
                Map<String, List<String>> holds,
                PipelineMatrix.Matrix pipeline,
                String notice);

        static native TemplateInstance pipeline(PipelineMatrix.Matrix pipeline);

        static native TemplateInstance detail(EnvironmentDetail env, Panel activity, List<String> holds);
    }

    private final EnvironmentService environments;
    private final EnvironmentActivity activity;
    private final DefinitionSync definitions;
    private final Instance<EnvironmentHolds> holds;
    private final PipelineMatrix matrix;

    /** The dashboard only needs how far each environment is behind; it looks at fewer releases than the matrix. */
    static final int DASHBOARD_RELEASES = 50;

    static final int MATRIX_RELEASES = 25;

    EnvironmentPanelPages(
            EnvironmentService environments,
            DefinitionSync definitions,
            EnvironmentActivity activity,
            Instance<EnvironmentHolds> holds,
            PipelineMatrix matrix) {
        this.matrix = matrix;
        this.holds = holds;
        this.definitions = definitions;
        this.environments = environments;
        this.activity = activity;
    }

    @GET
    public TemplateInstance dashboard(@RestQuery String notice) {
        List<StageGroup> stages = environments.byStage();
        List<String> names = stages.stream()
                .flatMap(stage -> stage.environments().stream())
                .map(EnvironmentSummary::name)
                .toList();
        Map<String, List<String>> notices = new java.util.HashMap<>();
        names.forEach(name -> notices.put(name, new java.util.ArrayList<>()));
        holds.forEach(
                h -> h.notices(names).forEach((env, lines) -> notices.get(env).addAll(lines)));
        return Templates.dashboard(
                stages, definitions.problems(), activity.latestJobs(), notices, matrix.of(DASHBOARD_RELEASES), notice);
    }

    /** Releases × environments: where each recent release ran, with what outcome, and what waits to move on. */
    @GET
    @Path("pipeline")
    public TemplateInstance pipeline() {
        return Templates.pipeline(matrix.of(MATRIX_RELEASES));
    }

    @GET
    @Path("environments/{name}")
    public TemplateInstance detail(@RestPath String name) {
        EnvironmentDetail env = environments.get(name);
        return Templates.detail(env, activity.of(env.summary().name()), holdsOf(name));
    }

    /** What holds deploys to the environment back (a lock, a freeze now or next), in plain words. */
    private List<String> holdsOf(String environment) {
        return holds.stream().flatMap(h -> h.notices(environment).stream()).toList();
    }
}
