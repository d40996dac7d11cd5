package org.cnx.conveyor.deploy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How deploys run ({@code conveyor.deploy.*}). */
@ConfigMapping(prefix = "conveyor.deploy")
public interface DeployConfig {

    /** Hosts handled at once within a phase of one job. */
    @WithDefault("16")
    int parallelism();

    /** Longest a recipe's install or migrate command may run. */
    @WithDefault("10m")
    Duration installTimeout();

    /** Longest a start or stop command may run. */
    @WithDefault("2m")
    Duration serviceTimeout();

    /** Longest a file-system step (unpack, symlink, prune) may run. */
    @WithDefault("5m")
    Duration stepTimeout();

    /**
     * How long an SSH connection stays open after a job, for the environment's next job (0: close at once). Reused
     * only while it answers and its host key is still the one the definition accepts.
     */
    @WithDefault("2m")
    Duration keepConnections();

    /** Create a release of the sample stack in examples/ at start-up, for the demo environment. */
    @WithDefault("true")
    boolean demoRelease();
}
