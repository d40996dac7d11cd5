package org.cnx.conveyor.migrate;

import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;

/** Where a release of a component is unpacked on a host: the deploy engine's layout, as migrations need to know it. */
public interface ReleaseFolders {

    /** The absolute folder of {@code component}'s release {@code releaseId} on {@code host}. */
    String releaseFolder(Host host, String component, long releaseId);
}
