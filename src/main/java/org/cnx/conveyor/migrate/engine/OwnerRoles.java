package org.cnx.conveyor.migrate.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * Login roles that each own one database Conveyor created: no superuser, no CREATEDB, CREATEROLE, REPLICATION or
 * BYPASSRLS, member of no role (so none of {@code pg_read_server_files}, {@code pg_write_server_files},
 * {@code pg_execute_server_program}). A comment marks the roles Conveyor made; a role of the same name made by
 * someone else is never taken over.
 */
public final class OwnerRoles {

    static final String MARK = "Owner of one database, created and managed by Conveyor";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    // INHERIT: from PostgreSQL 15 the owner reaches its public schema only through pg_database_owner's rights.
    private static final String ATTRIBUTES =
            "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT";

    private OwnerRoles() {}

    /** Creates the role, or restores its attributes and sets its password when Conveyor made it earlier. */
    public static void ensure(Connection c, String role, String password) throws SQLException {
        checkName(role);
        boolean exists;
        try (PreparedStatement q =
                c.prepareStatement("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = ?")) {
            q.setString(1, role);
            try (ResultSet rs = q.executeQuery()) {
                exists = rs.next();
                if (exists && !MARK.equals(rs.getString(1))) {
                    throw new SQLException("role \"" + role
                            + "\" already exists on the server and was not created by Conveyor;"
                            + " it cannot become the owner of database " + role + " (choose another database name)");
                }
            }
        }
        try (Statement s = c.createStatement()) {
            // The name matched NAME, so it is a plain identifier; quoting keeps it exactly as written.
            s.execute((exists ? "ALTER ROLE \"" : "CREATE ROLE \"") + role + "\" " + ATTRIBUTES);
            if (!exists) {
                s.execute("COMMENT ON ROLE \"" + role + "\" IS '" + MARK + "'");
            }
            for (String granted : memberships(c, role)) {
                s.execute("REVOKE \"" + granted + "\" FROM \"" + role + "\"");
            }
        }
        // The SCRAM verifier is computed here: the password never reaches the server's statement log.
        c.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), "scram-sha-256");
    }

    /** Drops the role if Conveyor made it (it must own nothing by then: drop its database first). */
    public static void drop(Connection c, String role) throws SQLException {
        checkName(role);
        try (PreparedStatement q = c.prepareStatement(
                "SELECT 1 FROM pg_roles WHERE rolname = ? AND shobj_description(oid, 'pg_authid') = ?")) {
            q.setString(1, role);
            q.setString(2, MARK);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("DROP ROLE IF EXISTS \"" + role + "\"");
        }
    }

    private static List<String> memberships(Connection c, String role) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("""
                SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member
                WHERE r.rolname = ?""")) {
            q.setString(1, role);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    static void checkName(String name) throws SQLException {
        if (!NAME.matcher(name).matches()) {
            throw new SQLException("expected a role name matching " + NAME.pattern() + ", found \"" + name + "\"");
        }
    }
}
