package org.cnx.conveyor.environment;

import java.util.List;

/**
 * What holds deploys to an environment back right now or soon (a lock, a freeze window), in plain words, for every
 * page that shows the environment. Implemented where freezes and locks live.
 */
public interface EnvironmentHolds {

    /** Notices for the environment, most pressing first; empty when nothing holds it. */
    List<String> notices(String environment);
}
