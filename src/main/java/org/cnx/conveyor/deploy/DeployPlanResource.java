package org.cnx.conveyor.deploy;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.migrate.MigrationChecks;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.web.ProblemException;

/** {@code GET /api/environments/{env}/plan?release=N}: what a deploy would do, before it runs. */
@Path("/api/environments/{env}/plan")
@Produces(MediaType.APPLICATION_JSON)
class DeployPlanResource {

    private final EnvironmentService environments;
    private final ReleaseService releases;
    private final DeployServices services;
    private final MigrationChecks migrations;

    DeployPlanResource(EnvironmentService environments, ReleaseService releases, DeployServices services, MigrationChecks migrations) {
        this.migrations = migrations;
        this.environments = environments;
        this.releases = releases;
        this.services = services;
    }

    @GET
    public DeployPlan plan(String env, @QueryParam("release") Long release) {
        if (release == null) {
            throw ProblemException.invalid("release: expected ?release=<id> of the release to plan");
        }
        EnvironmentDefinition definition = environments.definition(env);
        Long live = environments.byName(env).currentReleaseId;
        return DeployPlan.of(Target.of(definition, releases.get(release)), live, services.versionsOf(live),
                migrations.plan(env, release));
    }
}
