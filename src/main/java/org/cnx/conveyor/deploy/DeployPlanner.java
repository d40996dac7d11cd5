package org.cnx.conveyor.deploy;

import jakarta.enterprise.context.ApplicationScoped;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.job.LiveReleases;
import org.cnx.conveyor.migrate.MigrationChecks;
import org.cnx.conveyor.release.ReleaseService;

/** Works out what a deploy of a release to an environment would do, for the plan page, the API and approvals. */
@ApplicationScoped
public class DeployPlanner {

    private final EnvironmentService environments;
    private final LiveReleases liveReleases;
    private final ReleaseService releases;
    private final DeployServices services;
    private final MigrationChecks migrations;

    DeployPlanner(
            EnvironmentService environments,
            LiveReleases liveReleases,
            ReleaseService releases,
            DeployServices services,
            MigrationChecks migrations) {
        this.liveReleases = liveReleases;
        this.environments = environments;
        this.releases = releases;
        this.services = services;
        this.migrations = migrations;
    }

    public DeployPlan plan(String environment, Long release) {
        if (release == null) {
            throw new Invalid("release: expected ?release=<id> of the release to plan");
        }
        EnvironmentDefinition definition = environments.definition(environment);
        Long live = liveReleases.of(environments.byName(environment).id).release();
        return DeployPlan.of(
                Target.of(definition, releases.get(release)),
                live,
                services.versionsOf(live),
                migrations.plan(environment, release));
    }
}
