package org.cnx.conveyor.migrate.engine;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** One embedded PostgreSQL for the engine tests, with a fresh database per test. */
public final class ScratchPostgres {

    private static EmbeddedPostgres server;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private ScratchPostgres() {}

    /** Creates an empty database and returns how to reach it. */
    public static synchronized TargetDatabase freshDatabase() {
        try {
            if (server == null) {
                server = EmbeddedPostgres.builder().setPort(0).start();
            }
            String name = "scratch_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
            try (Connection c = server.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return new TargetDatabase(server.getJdbcUrl("postgres", name), "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
