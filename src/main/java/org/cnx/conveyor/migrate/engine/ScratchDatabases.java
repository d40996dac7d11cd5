package org.cnx.conveyor.migrate.engine;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Creates and drops databases on a PostgreSQL server reached through any of its databases (needs CREATEDB). */
public final class ScratchDatabases {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final String DUPLICATE_DATABASE = "42P04";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScratchDatabases() {}

    /** A new, empty database with a random name on the same server as {@code server}. */
    public static TargetDatabase createScratch(TargetDatabase server) throws SQLException {
        String name = "conveyor_scratch_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        create(server, name);
        return on(server, name);
    }

    /** Creates database {@code name} on the server unless it exists. */
    public static void create(TargetDatabase server, String name) throws SQLException {
        checkName(name);
        try (Connection c = server.open();
                PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement s = c.createStatement()) {
                // The name matched NAME, so it is a plain identifier; quoting keeps it exactly as written.
                s.execute("CREATE DATABASE \"" + name + "\"");
            } catch (SQLException e) {
                if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    /** Drops a database (closing its connections); {@code server} must be another database of the same server. */
    public static void drop(TargetDatabase server, String name) throws SQLException {
        checkName(name);
        try (Connection c = server.open();
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        }
    }

    /** Drops a scratch database made by {@link #createScratch}. */
    public static void dropScratch(TargetDatabase server, TargetDatabase scratch) throws SQLException {
        drop(server, nameOf(scratch.url()));
    }

    static void checkName(String name) throws SQLException {
        if (!NAME.matcher(name).matches()) {
            throw new SQLException("expected a database name matching " + NAME.pattern() + ", found \"" + name + "\"");
        }
    }

    /** The same server and connection settings, another database: {@code jdbc:postgresql://host:port/NAME?params}. */
    public static TargetDatabase on(TargetDatabase server, String name) {
        String url = server.url();
        int start = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?');
        String rest = query < 0 ? "" : url.substring(query);
        String prefix = start < 0 ? (query < 0 ? url : url.substring(0, query)) : url.substring(0, start);
        return new TargetDatabase(prefix + "/" + name + rest, server.user(), server.password());
    }

    /** The database name of a JDBC URL. */
    public static String nameOf(String url) {
        int start = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?');
        return url.substring(start + 1, query < 0 ? url.length() : query);
    }
}
