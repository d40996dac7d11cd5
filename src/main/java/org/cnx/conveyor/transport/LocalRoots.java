package org.cnx.conveyor.transport;

import java.nio.file.Path;
import org.cnx.conveyor.common.DataDirectory;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;

/** Where a host's root is: hosts on Conveyor's machine may name a folder relative to the data directory. */
public final class LocalRoots {

    private LocalRoots() {}

    /** The host's root as an absolute path on the host. */
    public static String of(Host host) {
        Path root = Path.of(host.root());
        if (host.transport().isOnConveyorMachine() && !root.isAbsolute()) {
            return DataDirectory.resolve().resolve(root).normalize().toString();
        }
        return host.root();
    }
}
