package org.cnx.conveyor.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Conveyor's own settings, under the {@code conveyor.} prefix; every key is listed in docs/configuration.md. */
@ConfigMapping(prefix = "conveyor")
public interface ConveyorConfig {

    /** Local state: embedded database, master key, demo hosts ({@code conveyor.data-dir}, {@code CONVEYOR_DATA_DIR}); read through {@link DataDirectory}. */
    @WithDefault("data")
    String dataDir();

    /** Folder holding the environment definition files ({@code conveyor.environments-dir}). */
    @WithDefault("environments")
    String environmentsDir();

    /** Password for the first {@code admin} user; a random one is generated when unset ({@code conveyor.admin-password}). */
    Optional<String> adminPassword();

    /** Base64 of the 32-byte AES key that encrypts secrets; generated into the data dir when unset ({@code conveyor.master-key}). */
    Optional<String> masterKey();

    /** The pipeline of stages, in promotion order ({@code conveyor.stages}). */
    @WithDefault("dev,staging,production")
    List<String> stages();

    /** Web session settings. */
    Session session();

    /** Web session settings. */
    interface Session {
        /** How long a login lasts without activity ({@code conveyor.session.idle-timeout}). */
        @WithDefault("PT8H")
        Duration idleTimeout();
    }
}
