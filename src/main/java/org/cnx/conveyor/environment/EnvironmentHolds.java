package org.cnx.conveyor.environment;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What holds deploys to an environment back right now or soon (a lock, a freeze window), in plain words, for every
 * page that shows the environment. Implemented where freezes and locks live.
 */
public interface EnvironmentHolds {

    /** Notices for the environment, most pressing first; empty when nothing holds it. */
    List<String> notices(String environment);

    /** The notices of many environments at once (the dashboard), by environment name. */
    default Map<String, List<String>> notices(Collection<String> environments) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        environments.forEach(env -> all.put(env, notices(env)));
        return all;
    }
}
