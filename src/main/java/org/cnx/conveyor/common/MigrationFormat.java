package org.cnx.conveyor.common;

import java.util.Arrays;
import java.util.Optional;

/** How a component's migrations are written, and so which engine runs them. */
public enum MigrationFormat {
    /** {@code V<version>__<name>.sql} with {@code U…} undo twins, {@code R__…} and {@code deferred/}: run by Flyway. */
    FLYWAY("flyway"),
    /** cnx-db's {@code <timestamp>_<name>.py} files with {@code up(cursor)}/{@code down(cursor)}: run by Python. */
    DB_MIGRATOR("db-migrator");

    private final String id;

    MigrationFormat(String id) {
        this.id = id;
    }

    /** The spelling used in definition files and the command line. */
    public String id() {
        return id;
    }

    public static Optional<MigrationFormat> byId(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
    }
}
