package org.cnx.conveyor.transport;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How Conveyor talks SSH to hosts, under the {@code conveyor.ssh.} prefix. */
@ConfigMapping(prefix = "conveyor.ssh")
public interface SshConfig {

    /** How long to wait for a host to accept the connection and finish the handshake ({@code conveyor.ssh.connect-timeout}). */
    @WithDefault("10s")
    Duration connectTimeout();

    /**
     * How often an idle connection is probed; a host silent for three probes counts as gone
     * ({@code conveyor.ssh.keep-alive-interval}).
     */
    @WithDefault("15s")
    Duration keepAliveInterval();
}
