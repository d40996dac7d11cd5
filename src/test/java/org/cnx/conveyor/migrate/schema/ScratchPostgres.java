package org.cnx.conveyor.migrate.schema;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** An embedded PostgreSQL handing out fresh scratch databases, each built by the DDL given. */
final class ScratchPostgres implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final List<Connection> connections = new ArrayList<>();
    private int databases;

    private ScratchPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static ScratchPostgres start() throws IOException {
        return new ScratchPostgres(EmbeddedPostgres.builder().setPort(0).start());
    }

    /** A connection to a new, empty database on which each statement has been run in order. */
    Connection database(String... statements) throws SQLException {
        String name = "scratch_" + ++databases;
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                Statement create = admin.createStatement()) {
            create.execute("CREATE DATABASE " + name);
        }
        Connection connection = connect(name);
        connections.add(connection);
        run(connection, statements);
        return connection;
    }

    /** A new connection to the named database; the caller closes it. */
    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(postgres.getJdbcUrl("postgres", database), "postgres", "postgres");
    }

    static void run(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws Exception {
        for (Connection connection : connections) {
            connection.close();
        }
        postgres.close();
    }
}
