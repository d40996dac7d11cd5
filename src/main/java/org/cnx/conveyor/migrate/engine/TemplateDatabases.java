package org.cnx.conveyor.migrate.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Sealed copies of a restored database that new databases are made from with {@code CREATE DATABASE … TEMPLATE}: a
 * file copy, far quicker than restoring a dump again. A sealed template belongs to the server user and nobody may
 * connect to it (so nothing changes it); its objects belong to a role of the same name that no longer logs in, and
 * every copy hands them to its own owner role.
 */
public final class TemplateDatabases {

    /** The comment of a database being filled: one found with it was left half-made by a Conveyor that stopped. */
    public static final String FILLING = "conveyor: being filled";

    private TemplateDatabases() {}

    /** Makes template {@code name} read-only for good: owned by the server user, no connections, its role no login. */
    public static void seal(TargetDatabase server, String name) throws SQLException {
        ScratchDatabases.checkName(name);
        try (Connection c = server.open();
                Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE \"" + name + "\" OWNER TO CURRENT_USER");
            s.execute("ALTER DATABASE \"" + name + "\" ALLOW_CONNECTIONS false");
            s.execute("ALTER ROLE \"" + name + "\" NOLOGIN");
        }
    }

    /** Whether template {@code name} exists and is sealed. */
    public static boolean isSealed(TargetDatabase server, String name) throws SQLException {
        try (Connection c = server.open();
                PreparedStatement q =
                        c.prepareStatement("SELECT NOT datallowconn FROM pg_database WHERE datname = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * Creates database {@code name} as a copy of sealed template {@code template}, its objects handed to role
     * {@code role}. It is marked {@link #FILLING} until the objects are handed over, so a copy left half-way is found.
     */
    public static void copy(TargetDatabase server, String template, String name, String role) throws SQLException {
        ScratchDatabases.checkName(template);
        ScratchDatabases.checkName(name);
        OwnerRoles.checkName(role);
        try (Connection c = server.open();
                Statement s = c.createStatement()) {
            // From PostgreSQL 15 the default strategy writes the whole copy through the WAL; a file copy is quicker.
            String strategy = c.getMetaData().getDatabaseMajorVersion() >= 15 ? " STRATEGY = FILE_COPY" : "";
            s.execute("CREATE DATABASE \"" + name + "\" TEMPLATE \"" + template + "\"" + strategy);
            s.execute("COMMENT ON DATABASE \"" + name + "\" IS '" + FILLING + "'");
        }
        try (Connection c = ScratchDatabases.on(server, name).open();
                Statement s = c.createStatement()) {
            s.execute("REASSIGN OWNED BY \"" + template + "\" TO \"" + role + "\"");
        }
        try (Connection c = server.open();
                Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE \"" + name + "\" OWNER TO \"" + role + "\"");
            s.execute("REVOKE CONNECT, TEMPORARY ON DATABASE \"" + name + "\" FROM PUBLIC");
        }
    }

    /** Marks database {@code name} as being filled ({@code true}) or filled. */
    public static void markFilling(TargetDatabase server, String name, boolean filling) throws SQLException {
        ScratchDatabases.checkName(name);
        try (Connection c = server.open();
                Statement s = c.createStatement()) {
            s.execute("COMMENT ON DATABASE \"" + name + "\" IS " + (filling ? "'" + FILLING + "'" : "NULL"));
        }
    }

    /** Whether database {@code name} exists and is marked as being filled. */
    public static boolean isFilling(TargetDatabase server, String name) throws SQLException {
        try (Connection c = server.open();
                PreparedStatement q = c.prepareStatement(
                        "SELECT shobj_description(oid, 'pg_database') = ? FROM pg_database WHERE datname = ?")) {
            q.setString(1, FILLING);
            q.setString(2, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
