package org.cnx.conveyor.preview;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** The pool previews and clones get their ports and hosts from ({@code conveyor.pool.*}). */
@ConfigMapping(prefix = "conveyor.pool")
public interface PoolConfig {

    /** First port of the range handed out for {@code {{port:COMPONENT}}} placeholders. */
    @WithDefault("20000")
    int firstPort();

    /** Last port of the range (inclusive). */
    @WithDefault("20999")
    int lastPort();

    /** Host addresses handed out for {@code {{host:ROLE}}} placeholders, one environment per address at a time. */
    Optional<List<String>> hosts();
}
