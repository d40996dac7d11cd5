package org.cnx.conveyor.app;

import org.cnx.conveyor.common.DataDirectory;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.cnx.conveyor.migrate.cli.MigrateCommand;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Starts Conveyor, with an embedded PostgreSQL under the data directory when no external database is configured;
 * or, with {@code migrate …} as arguments, runs the migrations command line instead.
 */
@QuarkusMain
public final class ConveyorMain {

    private ConveyorMain() {}

    public static void main(String... args) throws IOException {
        if (args.length > 0 && args[0].equals("migrate")) {
            // The developer command line: the migration engine alone, no server and no embedded database.
            System.exit(new MigrateCommand(System.out, System.err, Clock.systemDefaultZone())
                    .run(List.of(args).subList(1, args.length)));
        }
        if (externalDatabaseConfigured()) {
            Quarkus.run(args);
            return;
        }
        Path pgData = DataDirectory.resolve().resolve("pg");
        Files.createDirectories(pgData);
        StalePostgres.stopIfRunning(pgData);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setPort(0)
                .start()) {
            System.setProperty("quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"));
            System.setProperty("quarkus.datasource.username", "postgres");
            System.setProperty("quarkus.datasource.password", "postgres");
            Quarkus.run(args);
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
