package org.cnx.conveyor.common;

import java.nio.file.Path;

/** Where Conveyor keeps its local state: the embedded database, the master key, the demo hosts. */
public final class DataDirectory {

    private DataDirectory() {}

    /** {@code CONVEYOR_DATA_DIR}, the {@code conveyor.data-dir} system property, or {@code ./data}. */
    public static Path resolve() {
        String fromProperty = System.getProperty("conveyor.data-dir");
        String fromEnv = System.getenv("CONVEYOR_DATA_DIR");
        // Read before Quarkus starts (the embedded database lives here), so application.properties is not consulted.
        String dir = fromProperty != null ? fromProperty : fromEnv != null ? fromEnv : "data";
        return Path.of(dir).toAbsolutePath().normalize();
    }
}
