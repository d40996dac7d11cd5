package org.cnx.conveyor.artifact;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How large an uploaded artifact may be and how long one no release references is kept ({@code conveyor.uploads.*}). */
@ConfigMapping(prefix = "conveyor.uploads")
public interface UploadsConfig {

    /** Largest artifact accepted by {@code PUT /api/artifacts/{sha256}}, in bytes. */
    @WithDefault("2147483648")
    long maxSize();

    /** How long an upload that no release references is kept (counted from its last upload or reference). */
    @WithDefault("7d")
    Duration retention();

    /** How often unreferenced uploads past their retention are deleted (once across instances). */
    @WithDefault("1h")
    Duration sweepEvery();
}
