package org.cnx.conveyor.githubdeploy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Whether and how often deploys are reported to GitHub as deployments ({@code conveyor.github-deployments.*}). */
@ConfigMapping(prefix = "conveyor.github-deployments")
public interface GitHubDeploymentsConfig {

    /** Report deploys of releases built from a GitHub repository as GitHub deployments (needs conveyor.github.token). */
    @WithDefault("true")
    boolean enabled();

    /** How often the jobs are looked at for deployment statuses to report. */
    @WithDefault("5s")
    Duration trackEvery();

    /** How often waiting deployment statuses are sent. */
    @WithDefault("2s")
    Duration sendEvery();
}
