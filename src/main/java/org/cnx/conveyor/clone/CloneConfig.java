package org.cnx.conveyor.clone;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Developers' personal clones ({@code conveyor.clones.*}). */
@ConfigMapping(prefix = "conveyor.clones")
public interface CloneConfig {

    /** The template clones are made from, relative to the environments directory. */
    @WithDefault("templates/personal.yml")
    String template();

    /** How many clones one developer may have at a time. */
    @WithDefault("1")
    int quota();

    /** The stage whose latest committed release a new clone runs when the developer picks none. */
    @WithDefault("dev")
    String stage();

    /** A clone nobody deployed, reset or created for this long is torn down. */
    @WithDefault("72h")
    Duration idleTimeout();

    /** How long before that teardown the clone's page warns its owner. */
    @WithDefault("24h")
    Duration warnBefore();

    /** How often idle clones are looked for. */
    @WithDefault("10m")
    Duration sweepEvery();
}
