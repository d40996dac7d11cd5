package org.cnx.conveyor.deploy;

import jakarta.enterprise.context.ApplicationScoped;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.job.DeployCheck;
import org.cnx.conveyor.job.DeployRequest;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.release.ReleaseService;

/**
 * A deploy must put at least one component on a host: a release whose components match none of the environment's is
 * refused rather than "succeeding" with nothing done. A rollback is left alone, so going back always works.
 */
@ApplicationScoped
class NothingToDeployCheck implements DeployCheck {

    private final EnvironmentService environments;
    private final ReleaseService releases;

    NothingToDeployCheck(EnvironmentService environments, ReleaseService releases) {
        this.environments = environments;
        this.releases = releases;
    }

    @Override
    public void check(DeployRequest request) {
        if (request.type() != JobType.DEPLOY) {
            return;
        }
        Target.of(environments.definition(request.environment()), releases.get(request.releaseId()))
                .nothingToDeploy()
                .ifPresent(reason -> {
                    throw new Conflict(reason);
                });
    }
}
