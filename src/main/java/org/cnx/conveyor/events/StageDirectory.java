package org.cnx.conveyor.events;

import java.util.Collection;
import java.util.Set;

/** The environments of stages, as they are now: lets a subscription name stages instead of environments. */
public interface StageDirectory {

    /** The names of the environments whose stage is one of {@code stages}. */
    Set<String> environmentsIn(Collection<String> stages);
}
