package org.cnx.conveyor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's embedded PostgreSQL starts while Quarkus boots: connections made meanwhile wait for it. */
class StartingClusterTest {

    @TempDir
    Path data;

    @Test
    void aConnectionMadeWhileTheClusterIsStartingWaitsAndThenWorks() throws Exception {
        Path pgData = data.resolve("pg");
        try (StartingCluster cluster = StartingCluster.start(pgData, data.resolve("postgres-password"), () -> {})) {
            // Made at once, before initdb of this fresh cluster is anywhere near done.
            try (Connection c = DriverManager.getConnection(
                            cluster.jdbcUrl("postgres"), EmbeddedCluster.SUPERUSER, cluster.password());
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_setting('data_directory')")) {
                rs.next();
                assertThat(Path.of(rs.getString(1)).toRealPath()).isEqualTo(pgData.toRealPath());
            }
        }
    }

    @Test
    void aClusterThatCannotStartFailsEveryConnectionWithTheReason() throws Exception {
        Path pgData = data.resolve("pg");
        Path passwordFile = data.resolve("postgres-password");
        EmbeddedCluster.start(pgData, passwordFile).close();
        Files.writeString(pgData.resolve("postgresql.conf"), "\nno_such_setting = 1\n", StandardOpenOption.APPEND);

        try (StartingCluster cluster = StartingCluster.start(pgData, passwordFile, () -> {})) {
            assertThatThrownBy(() -> DriverManager.getConnection(
                                    cluster.jdbcUrl("postgres"), EmbeddedCluster.SUPERUSER, cluster.password())
                            .close())
                    .isInstanceOf(SQLException.class)
                    .hasStackTraceContaining("the embedded PostgreSQL did not start");
        }
    }

    @Test
    void aHardenedClusterWithoutItsPasswordFileIsRefusedBeforeAnythingStarts() throws Exception {
        Path pgData = data.resolve("pg");
        Path passwordFile = data.resolve("postgres-password");
        EmbeddedCluster.start(pgData, passwordFile).close();
        Files.delete(passwordFile);

        assertThatThrownBy(() -> StartingCluster.start(pgData, passwordFile, () -> {}))
                .hasMessageContaining("needs a password")
                .hasMessageContaining("restore it from the backup");
        assertThat(passwordFile).doesNotExist();
    }
}
