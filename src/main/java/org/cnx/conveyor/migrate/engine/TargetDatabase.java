package org.cnx.conveyor.migrate.engine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The database migrations run against, as Conveyor reaches it (through a tunnel's local end when there is one). */
public record TargetDatabase(String url, String user, String password) {

    public Connection open() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** The URL without its query string, for messages (credentials never appear in it). */
    public String label() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    @Override
    public String toString() {
        return label();
    }
}
