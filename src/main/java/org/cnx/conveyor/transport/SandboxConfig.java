package org.cnx.conveyor.transport;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** How {@code transport: sandbox} hosts are isolated, under the {@code conveyor.sandbox.} prefix. */
@ConfigMapping(prefix = "conveyor.sandbox")
public interface SandboxConfig {

    /** First OS uid Conveyor may give a sandboxed environment ({@code conveyor.sandbox.first-uid}). */
    @WithDefault("60500")
    int firstUid();

    /** Last OS uid Conveyor may give a sandboxed environment ({@code conveyor.sandbox.last-uid}). */
    @WithDefault("61183")
    int lastUid();

    /**
     * More folders or files sandboxed commands must not see, besides the data dir, Conveyor's install folder and
     * working folder ({@code conveyor.sandbox.hide}).
     */
    Optional<List<String>> hide();
}
