package org.cnx.conveyor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.cnx.conveyor.migrate.schema.SchemaSnapshot;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A {@code db} component artifact holding migration files, releases of it next to the echo stack, and direct access
 * to the test PostgreSQL server where the environments' {@code embedded} databases live.
 */
public final class MigrationStack {

    private static final Path OUT = Path.of("target/test-artifacts").toAbsolutePath();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private MigrationStack() {}

    /** Files of a migrations folder, in the order given: name, text, name, text… */
    public static Map<String, String> files(String... nameThenText) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < nameThenText.length; i += 2) {
            files.put(nameThenText[i], nameThenText[i + 1]);
        }
        return files;
    }

    /** A release of the echo stack at {@code appVersion} and a db component carrying these migration files. */
    public static long release(String appVersion, Map<String, String> migrations) {
        String dbVersion = "db-" + COUNTER.incrementAndGet();
        Path artifact = dbArtifact(dbVersion, migrations);
        return Api.asAdmin()
                .body(Map.of(
                        "components",
                        Map.of(
                                "app",
                                        Map.of(
                                                "version",
                                                appVersion,
                                                "artifact",
                                                Map.of(
                                                        "path",
                                                        EchoStack.artifact(appVersion)
                                                                .toString())),
                                "db", Map.of("version", dbVersion, "artifact", Map.of("path", artifact.toString())))))
                .post("/api/releases")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    private static Path dbArtifact(String version, Map<String, String> migrations) {
        try {
            // A new folder each time: a folder of an earlier run would add its files to this artifact.
            Path staging = Files.createTempDirectory(Files.createDirectories(OUT), version + "-");
            Path folder = Files.createDirectories(staging.resolve("migrations"));
            for (Map.Entry<String, String> file : migrations.entrySet()) {
                Path target = folder.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
            }
            Files.writeString(staging.resolve("start.sh"), "#!/bin/sh\necho db started\n");
            Files.writeString(staging.resolve("stop.sh"), "#!/bin/sh\necho db stopped\n");
            staging.resolve("start.sh").toFile().setExecutable(true);
            staging.resolve("stop.sh").toFile().setExecutable(true);
            Path tarball = staging.resolveSibling(staging.getFileName() + ".tar.gz");
            Process tar = new ProcessBuilder("tar", "-czf", tarball.toString(), "-C", staging.toString(), ".")
                    .inheritIO()
                    .start();
            if (tar.waitFor() != 0) {
                throw new IOException("tar failed for " + version);
            }
            return tarball;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A connection to database {@code name} on the test server (Conveyor's own). */
    /** The first column of a query's rows on database {@code name}, as text. */
    public static List<String> column(String name, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = connect(name);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    public static Connection connect(String name) throws SQLException {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        String onName = url.replaceFirst("(jdbc:postgresql://[^/]+)/[^?]*", "$1/" + name);
        return DriverManager.getConnection(
                onName,
                ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class),
                ConfigProvider.getConfig().getValue("quarkus.datasource.password", String.class));
    }

    /** The full catalog snapshot of a database on the test server (history tables left out). */
    public static SchemaSnapshot snapshot(String database) {
        try (Connection c = connect(database)) {
            return SchemaSnapshot.take(c, org.cnx.conveyor.migrate.engine.Migrator.HISTORY_TABLES);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs SQL against a database on the test server, as an operator with psql would. */
    public static void execute(String database, String sql) {
        try (Connection c = connect(database);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The port of the test PostgreSQL server. */
    public static int serverPort() {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        return Integer.parseInt(url.replaceFirst("jdbc:postgresql://[^:/]+:([0-9]+)/.*", "$1"));
    }

    /** The user Conveyor connects to the test server as (the superuser of the embedded one). */
    public static String serverUser() {
        return ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class);
    }

    /** That user's password (generated for the embedded server). */
    public static String serverPassword() {
        return ConfigProvider.getConfig().getValue("quarkus.datasource.password", String.class);
    }

    /** The name of Conveyor's own database on the test server. */
    public static String databaseName() {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        return url.replaceFirst("jdbc:postgresql://[^/]+/([^?]*).*", "$1");
    }
}
