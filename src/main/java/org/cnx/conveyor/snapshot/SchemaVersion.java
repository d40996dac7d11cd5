package org.cnx.conveyor.snapshot;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The migrations a copied database has applied, read from Flyway's history or db-migrator's {@code schema_migrations}:
 * how many, and the newest version.
 */
record SchemaVersion(String newest, int count) {

    static final SchemaVersion NONE = new SchemaVersion(null, 0);

    static SchemaVersion of(Connection c) throws SQLException {
        if (exists(c, "flyway_schema_history")) {
            return read(c, """
                    SELECT (SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL
                            ORDER BY installed_rank DESC LIMIT 1),
                           (SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL)""");
        }
        if (exists(c, "schema_migrations")) {
            return read(c, """
                    SELECT (SELECT version FROM schema_migrations WHERE applied IS NOT NULL
                            ORDER BY version DESC LIMIT 1),
                           (SELECT count(*) FROM schema_migrations WHERE applied IS NOT NULL)""");
        }
        return NONE;
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT to_regclass('public." + table + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static SchemaVersion read(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return new SchemaVersion(rs.getString(1), rs.getInt(2));
        }
    }
}
