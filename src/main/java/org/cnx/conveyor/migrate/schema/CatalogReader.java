package org.cnx.conveyor.migrate.schema;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** Runs the catalog queries on one connection and gathers their rows into a sorted map. */
final class CatalogReader {

    private final Connection connection;
    private final Set<String> excludedTables;

    CatalogReader(Connection connection, Set<String> excludedTables) {
        this.connection = connection;
        this.excludedTables = Set.copyOf(excludedTables);
    }

    SortedMap<String, String> read() throws SQLException {
        Array excluded = connection.createArrayOf("text", excludedTables.toArray());
        String searchPath = currentSearchPath();
        // With only pg_catalog on the path, deparsed text qualifies every user object the same way on every connection.
        setSearchPath("pg_catalog");
        try {
            SortedMap<String, String> objects = new TreeMap<>();
            for (String query : CatalogQueries.ALL) {
                collect(query, excluded, objects);
            }
            return objects;
        } finally {
            excluded.free();
            setSearchPath(searchPath);
        }
    }

    private void collect(String query, Array excluded, SortedMap<String, String> objects) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            int parameters = (int) query.chars().filter(c -> c == '?').count();
            for (int i = 1; i <= parameters; i++) {
                statement.setArray(i, excluded);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    // A diff reads null as "absent", so a definition is never null.
                    objects.put(rows.getString(1), Objects.requireNonNullElse(rows.getString(2), ""));
                }
            }
        }
    }

    private String currentSearchPath() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_setting('search_path')")) {
            row.next();
            return row.getString(1);
        }
    }

    private void setSearchPath(String searchPath) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT set_config('search_path', ?, false)")) {
            statement.setString(1, searchPath);
            statement.executeQuery().close();
        }
    }
}
