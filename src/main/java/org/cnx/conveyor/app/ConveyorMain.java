package org.cnx.conveyor.app;

import io.quarkus.runtime.Application;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.cnx.conveyor.cli.ConveyorCli;
import org.cnx.conveyor.common.DataDirectory;
import org.cnx.conveyor.migrate.cli.MigrateCommand;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Starts Conveyor, with an embedded PostgreSQL under the data directory when no external database is configured;
 * or, with {@code migrate …} as arguments, runs the migrations command line instead, and with {@code cli …} the
 * {@code conveyor} command line (a client of a running Conveyor).
 */
@QuarkusMain
public final class ConveyorMain {

    /** The embedded PostgreSQL's superuser password, in the data directory (mode 0600). */
    static final String POSTGRES_PASSWORD_FILE = "postgres-password";

    private ConveyorMain() {}

    public static void main(String... args) throws IOException {
        if (args.length > 0 && args[0].equals("migrate")) {
            // The developer command line: the migration engine alone, no server and no embedded database.
            System.exit(new MigrateCommand(System.out, System.err, Clock.systemDefaultZone())
                    .run(List.of(args).subList(1, args.length)));
        }
        if (args.length > 0 && args[0].equals("cli")) {
            // bin/conveyor: a client of a running Conveyor's API, no server here.
            System.exit(ConveyorCli.main(List.of(args).subList(1, args.length)));
        }
        if (externalDatabaseConfigured()) {
            Quarkus.run(args);
            return;
        }
        Path dataDir = DataDirectory.resolve();
        Path pgData = dataDir.resolve("pg");
        Files.createDirectories(pgData);
        // The cluster starts while Quarkus boots; the first connection (Flyway's) waits for it.
        try (StartingCluster postgres = StartingCluster.start(
                pgData, dataDir.resolve(POSTGRES_PASSWORD_FILE), ConveyorMain::awaitServerStopped)) {
            System.setProperty("quarkus.datasource.jdbc.url", postgres.jdbcUrl("postgres"));
            System.setProperty("quarkus.datasource.username", EmbeddedCluster.SUPERUSER);
            System.setProperty("quarkus.datasource.password", postgres.password());
            Quarkus.run(args);
        }
    }

    /** Returns once Quarkus has stopped: its own shutdown hook stops it (the main thread does not return then). */
    private static void awaitServerStopped() {
        Application application = Application.currentApplication();
        if (application != null) {
            application.awaitShutdown();
        }
    }

    private static boolean externalDatabaseConfigured() {
        return System.getenv("QUARKUS_DATASOURCE_JDBC_URL") != null
                || System.getProperty("quarkus.datasource.jdbc.url") != null
                || ConfigProvider.getConfig()
                        .getOptionalValue("quarkus.datasource.jdbc.url", String.class)
                        .isPresent();
    }
}
