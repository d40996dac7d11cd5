package org.cnx.conveyor.schedule;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** When scheduled deploys are looked for ({@code conveyor.schedules.*}). */
@ConfigMapping(prefix = "conveyor.schedules")
public interface ScheduleConfig {

    /** How often due scheduled deploys are looked for, as a Quarkus {@code every} value. */
    @WithDefault("5s")
    String poll();
}
