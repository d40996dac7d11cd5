package org.cnx.conveyor.deploy;

import jakarta.enterprise.context.ApplicationScoped;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.migrate.ReleaseFolders;

/** The deploy engine's host layout, told to the migrations that run Python inside a release's own folder. */
@ApplicationScoped
public class HostReleaseFolders implements ReleaseFolders {

    @Override
    public String releaseFolder(Host host, String component, long releaseId) {
        return new HostLayout(host.absoluteRoot()).releaseDir(component, Long.toString(releaseId));
    }
}
