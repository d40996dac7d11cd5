package org.cnx.conveyor.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Chat notifications ({@code conveyor.notifications.*}). */
@ConfigMapping(prefix = "conveyor.notifications")
public interface NotifyConfig {

    /** Conveyor's address as people in the chat reach it; every link in a message starts with it. */
    @WithDefault("http://localhost:8080")
    String conveyorUrl();
}
