package org.cnx.conveyor.migrate;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.cnx.conveyor.migrate.engine.TargetDatabase;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Databases Conveyor creates on a PostgreSQL server it administers: environments' {@code embedded} databases on its
 * own server, and the scratch databases of drift checks (on its own server unless {@code conveyor.migrations.scratch.*}
 * names another).
 */
@ApplicationScoped
public class ConveyorServer {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final String DUPLICATE_DATABASE = "42P04";

    private final TargetDatabase own;
    private final TargetDatabase scratch;
    private final SecureRandom random = new SecureRandom();

    ConveyorServer(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password, MigrateConfig config) {
        this.own = new TargetDatabase(url, user, password);
        this.scratch = new TargetDatabase(config.scratch().url().orElse(url), config.scratch().username().orElse(user),
                config.scratch().password().orElse(password));
    }

    /** The database {@code name} on Conveyor's own server, created when it does not exist yet. */
    public TargetDatabase embedded(String name) throws SQLException {
        create(own, name);
        return on(own, name);
    }

    /** A new, empty database for a drift check; drop it with {@link #dropScratch}. */
    public TargetDatabase newScratch() throws SQLException {
        String name = "conveyor_scratch_" + HexFormat.of().formatHex(random.generateSeed(6));
        create(scratch, name);
        return on(scratch, name);
    }

    public void dropScratch(TargetDatabase database) throws SQLException {
        drop(scratch, nameOf(database.url()));
    }

    /** Drops an embedded database (a torn-down environment's). */
    public void dropEmbedded(String name) throws SQLException {
        drop(own, name);
    }

    private static void create(TargetDatabase server, String name) throws SQLException {
        checkName(name);
        try (Connection c = server.open(); PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement s = c.createStatement()) {
                // The name matched NAME above, so it is a plain identifier; quoting keeps it exactly as written.
                s.execute("CREATE DATABASE \"" + name + "\"");
            } catch (SQLException e) {
                if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    private static void drop(TargetDatabase server, String name) throws SQLException {
        checkName(name);
        try (Connection c = server.open(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        }
    }

    private static void checkName(String name) throws SQLException {
        if (!NAME.matcher(name).matches()) {
            throw new SQLException("expected a database name matching " + NAME.pattern() + ", found \"" + name + "\"");
        }
    }

    /** The same server and connection settings, another database: {@code jdbc:postgresql://host:port/NAME?params}. */
    static TargetDatabase on(TargetDatabase server, String name) {
        String url = server.url();
        int start = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?');
        String rest = query < 0 ? "" : url.substring(query);
        String prefix = start < 0 ? (query < 0 ? url : url.substring(0, query)) : url.substring(0, start);
        return new TargetDatabase(prefix + "/" + name + rest, server.user(), server.password());
    }

    static String nameOf(String url) {
        int start = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?');
        return url.substring(start + 1, query < 0 ? url.length() : query);
    }
}
