package org.cnx.conveyor.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cnx.conveyor.app.EmbeddedCluster;

/**
 * The PostgreSQL the tests run against: {@code CONVEYOR_TEST_JDBC_URL} (with {@code _USERNAME}/{@code _PASSWORD})
 * when set, otherwise an embedded PostgreSQL started once for the whole run, set up exactly as Conveyor's own (generated
 * superuser password, scram-sha-256 for every connection). An external server's user must be a superuser or have
 * CREATEDB and CREATEROLE (environments' databases get owner roles of their own).
 */
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedCluster embedded;
    private static Path clusterDir;

    @Override
    public synchronized Map<String, String> start() {
        Path dataDir = Path.of("target", "test-data").toAbsolutePath();
        try {
            // Hosts of an earlier run would hold releases with the same numbers as this run's fresh database.
            if (embedded == null && Files.exists(dataDir.resolve("hosts"))) {
                try (var files = Files.walk(dataDir.resolve("hosts"))) {
                    files.sorted(java.util.Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("conveyor.data-dir", dataDir.toString());
        TestEnvironments.reset();
        String external = System.getenv("CONVEYOR_TEST_JDBC_URL");
        if (external != null) {
            return Map.of(
                    "quarkus.datasource.jdbc.url",
                    external,
                    "quarkus.datasource.username",
                    System.getenv().getOrDefault("CONVEYOR_TEST_JDBC_USERNAME", "postgres"),
                    "quarkus.datasource.password",
                    System.getenv().getOrDefault("CONVEYOR_TEST_JDBC_PASSWORD", "postgres"));
        }
        if (embedded == null) {
            try {
                clusterDir = Files.createTempDirectory("conveyor-test-pg");
                embedded = EmbeddedCluster.start(clusterDir.resolve("pg"), clusterDir.resolve("postgres-password"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL for tests", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::closeEmbedded));
        }
        return Map.of(
                "quarkus.datasource.jdbc.url",
                embedded.jdbcUrl("postgres"),
                "quarkus.datasource.username",
                EmbeddedCluster.SUPERUSER,
                "quarkus.datasource.password",
                embedded.password());
    }

    private static void closeEmbedded() {
        try {
            embedded.close();
            try (var files = Files.walk(clusterDir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        } catch (IOException ignored) {
            // The JVM is exiting; a leftover temporary folder does no harm.
        }
    }

    @Override
    public void stop() {
        // Kept running across test classes: restarting PostgreSQL per class would cost seconds each.
    }
}
