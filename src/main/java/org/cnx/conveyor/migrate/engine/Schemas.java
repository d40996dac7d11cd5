package org.cnx.conveyor.migrate.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Questions about a database's tables that both migration formats ask before they plan. */
final class Schemas {

    /** Tables that only record migrations, never what they make. */
    static final List<String> HISTORY_TABLES = List.of(Migrator.HISTORY, Migrator.DEFERRED_HISTORY, DbMigrator.HISTORY);

    private Schemas() {}

    static boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(?)")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1) != null;
            }
        }
    }

    /**
     * A few of the database's own tables (not PostgreSQL's, not migration histories), e.g. {@code public.modules,
     * public.files, …}; empty when it has none, so it is a fresh database.
     */
    static Optional<String> unmanagedTables(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        int count = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT table_schema || '.' || table_name FROM"
                        + " information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN"
                        + " ('pg_catalog', 'information_schema') AND table_name <> ALL (?) ORDER BY 1");
                ResultSet rs = query(s, c)) {
            while (rs.next()) {
                if (count++ < 3) {
                    names.add(rs.getString(1));
                }
            }
        }
        if (count == 0) {
            return Optional.empty();
        }
        return Optional.of(String.join(", ", names) + (count > 3 ? ", … " + count + " in all" : ""));
    }

    private static ResultSet query(PreparedStatement s, Connection c) throws SQLException {
        s.setArray(1, c.createArrayOf("text", HISTORY_TABLES.toArray()));
        return s.executeQuery();
    }
}
