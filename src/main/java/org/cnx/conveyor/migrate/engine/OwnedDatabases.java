package org.cnx.conveyor.migrate.engine;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Databases that belong to a role of their own (see {@link OwnerRoles}), created by a server user that may create
 * databases and roles. Nobody else may connect to them: CONNECT and TEMPORARY are revoked from PUBLIC.
 */
public final class OwnedDatabases {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Hands the objects of a database made by an older Conveyor (owned by Conveyor's own user) to the owner role. */
    private static final String ADOPT = """
            DO $adopt$
            DECLARE
              r record;
              target text := %s;
              target_oid oid := (SELECT oid FROM pg_roles WHERE rolname = %s);
            BEGIN
              FOR r IN SELECT nspname FROM pg_namespace
                  WHERE nspname NOT LIKE 'pg\\_%%' AND nspname <> 'information_schema' AND nspowner <> target_oid
                    AND pg_get_userbyid(nspowner) <> 'pg_database_owner' LOOP
                EXECUTE format('ALTER SCHEMA %%I OWNER TO %%I', r.nspname, target);
              END LOOP;
              FOR r IN SELECT c.oid::regclass AS obj, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.relowner <> target_oid
                    AND n.nspname NOT LIKE 'pg\\_%%' AND n.nspname <> 'information_schema'
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                    AND d.deptype IN ('e', 'a', 'i'))
                  ORDER BY c.relkind = 'S' LOOP
                -- Sequences owned by a column (serial, identity) follow their table and are left out above.
                EXECUTE format('ALTER %%s %%s OWNER TO %%I', CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                    WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.obj, target);
              END LOOP;
              FOR r IN SELECT p.oid::regprocedure AS obj FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                  WHERE p.proowner <> target_oid AND n.nspname NOT LIKE 'pg\\_%%' AND n.nspname <> 'information_schema'
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e') LOOP
                EXECUTE format('ALTER ROUTINE %%s OWNER TO %%I', r.obj, target);
              END LOOP;
              FOR r IN SELECT t.oid::regtype AS obj, t.typtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                  WHERE t.typowner <> target_oid AND n.nspname NOT LIKE 'pg\\_%%' AND n.nspname <> 'information_schema'
                    AND (t.typtype IN ('d', 'e', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e') LOOP
                EXECUTE format('ALTER %%s %%s OWNER TO %%I', CASE r.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, r.obj, target);
              END LOOP;
            END
            $adopt$""";

    private OwnedDatabases() {}

    /**
     * Database {@code name} owned by role {@code role}, created when missing; one made earlier by the server user itself
     * (an older Conveyor) is handed to the role with all its objects. Any other owner is refused.
     */
    public static void ensure(TargetDatabase server, String name, String role) throws SQLException {
        OwnerRoles.checkName(role);
        Optional<String> owner;
        try (Connection c = server.open()) {
            owner = ownerOf(c, name);
            if (!isSuperuser(c)) {
                try (Statement s = c.createStatement()) {
                    // A CREATEROLE user may give a database or an object only to a role it is a member of. The
                    // membership
                    // gives Conveyor's user the role's rights, never the other way round.
                    s.execute("GRANT \"" + role + "\" TO CURRENT_USER");
                }
            }
            if (owner.isEmpty()) {
                ScratchDatabases.checkName(name);
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE \"" + name + "\" OWNER \"" + role + "\"");
                }
            } else if (!owner.get().equals(role) && !owner.get().equals(currentUser(c))) {
                throw new SQLException("database " + name + " already exists and belongs to role " + owner.get()
                        + ", not to Conveyor; choose another database name or drop it");
            }
            try (Statement s = c.createStatement()) {
                s.execute("REVOKE CONNECT, TEMPORARY ON DATABASE \"" + name + "\" FROM PUBLIC");
                if (owner.isPresent() && !owner.get().equals(role)) {
                    s.execute("ALTER DATABASE \"" + name + "\" OWNER TO \"" + role + "\"");
                }
            }
        }
        try (Connection c = ScratchDatabases.on(server, name).open();
                Statement s = c.createStatement()) {
            if (owner.isPresent() && !owner.get().equals(role)) {
                String literal = "'" + role + "'";
                s.execute(ADOPT.formatted(literal, literal));
            } else if (owner.isEmpty() && isSuperuser(c) && c.getMetaData().getDatabaseMajorVersion() < 15) {
                // Before PostgreSQL 15 the public schema belongs to the bootstrap superuser; give it to the owner as 15
                // does.
                s.execute("ALTER SCHEMA public OWNER TO \"" + role + "\"");
            }
        }
    }

    /** A new, empty database with a random name, owned by a new role of the same name with a random password. */
    public static TargetDatabase createScratch(TargetDatabase server) throws SQLException {
        String name = "conveyor_scratch_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        try (Connection c = server.open()) {
            OwnerRoles.ensure(c, name, password);
        }
        ensure(server, name, name);
        TargetDatabase on = ScratchDatabases.on(server, name);
        return new TargetDatabase(on.url(), name, password);
    }

    /** Drops a database made by {@link #createScratch} and its role. */
    public static void dropScratch(TargetDatabase server, TargetDatabase scratch) throws SQLException {
        drop(server, ScratchDatabases.nameOf(scratch.url()), scratch.user());
    }

    /** Drops the database (closing its connections), then its owner role. */
    public static void drop(TargetDatabase server, String name, String role) throws SQLException {
        ScratchDatabases.drop(server, name);
        try (Connection c = server.open()) {
            OwnerRoles.drop(c, role);
        }
    }

    /** Whether database {@code name} exists and belongs to {@code role}. */
    public static boolean isOwnedBy(TargetDatabase server, String name, String role) throws SQLException {
        try (Connection c = server.open()) {
            return ownerOf(c, name).filter(role::equals).isPresent();
        }
    }

    /** Whether database {@code name} exists on the server. */
    public static boolean exists(TargetDatabase server, String name) throws SQLException {
        try (Connection c = server.open()) {
            return ownerOf(c, name).isPresent();
        }
    }

    private static Optional<String> ownerOf(Connection c, String name) throws SQLException {
        try (PreparedStatement q =
                c.prepareStatement("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static String currentUser(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean isSuperuser(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
