package org.cnx.conveyor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL needs a password for every connection, on a fresh data directory and on one an older Conveyor made. */
class EmbeddedClusterTest {

    @TempDir
    Path data;

    @Test
    void aFreshClusterHasAGeneratedSuperuserPasswordKeptPrivateAndNoTrustRule() throws Exception {
        Path passwordFile = data.resolve("postgres-password");
        try (EmbeddedCluster cluster = EmbeddedCluster.start(data.resolve("pg"), passwordFile)) {
            assertThat(Files.getPosixFilePermissions(passwordFile))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            assertThat(cluster.password()).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo("postgres");
            assertThat(Files.readString(passwordFile).trim()).isEqualTo(cluster.password());
            assertEveryRuleAsksForScram(data.resolve("pg"));
            assertThat(select(cluster, cluster.password(), "SELECT current_setting('password_encryption')"))
                    .isEqualTo("scram-sha-256");
            assertThat(select(
                            cluster,
                            cluster.password(),
                            "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'postgres'"))
                    .isEqualTo("t");
            assertRefusedWithoutThePassword(cluster);
        }
        // The next start reads the same password.
        try (EmbeddedCluster again = EmbeddedCluster.start(data.resolve("pg"), passwordFile)) {
            assertThat(select(again, Files.readString(passwordFile).trim(), "SELECT 1"))
                    .isEqualTo("1");
        }
    }

    @Test
    void aDataDirectoryMadeByTheOlderTrustingReleaseIsUpgradedInPlaceAndKeepsItsData() throws Exception {
        Path pgData = data.resolve("pg");
        // Exactly how the older ConveyorMain started its database: initdb with trust, postgres/postgres in the URL.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                        .setDataDirectory(pgData)
                        .setCleanDataDirectory(false)
                        .setPort(0)
                        .start();
                Connection c =
                        DriverManager.getConnection(old.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('from the old release')");
        }
        assertThat(Files.readString(pgData.resolve("pg_hba.conf"))).contains("trust");

        try (EmbeddedCluster cluster = EmbeddedCluster.start(pgData, data.resolve("postgres-password"))) {
            assertEveryRuleAsksForScram(pgData);
            assertThat(select(cluster, cluster.password(), "SELECT note FROM kept"))
                    .isEqualTo("from the old release");
            assertRefusedWithoutThePassword(cluster);
        }
        try (EmbeddedCluster restarted = EmbeddedCluster.start(pgData, data.resolve("postgres-password"))) {
            assertThat(select(restarted, restarted.password(), "SELECT note FROM kept"))
                    .isEqualTo("from the old release");
            assertRefusedWithoutThePassword(restarted);
        }
    }

    @Test
    void aHardenedClusterWhosePasswordFileIsLostDoesNotStartAndSaysWhatIsMissing() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(data.resolve("pg"), data.resolve("postgres-password"))) {
            assertThat(cluster.port()).isPositive();
        }
        Files.delete(data.resolve("postgres-password"));
        assertThatThrownBy(() -> EmbeddedCluster.start(data.resolve("pg"), data.resolve("postgres-password")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("postgres-password is missing");
    }

    /** The old hole: any local process connecting as postgres, over TCP or the unix socket, was superuser. */
    private static void assertRefusedWithoutThePassword(EmbeddedCluster cluster) throws Exception {
        assertThatThrownBy(() -> DriverManager.getConnection(cluster.jdbcUrl("postgres") + "?user=postgres")
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no password was provided");
        assertThatThrownBy(() -> DriverManager.getConnection(cluster.jdbcUrl("postgres"), "postgres", "postgres")
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed for user \"postgres\"");
        PasswordlessLogin.assertRefused(Integer.toString(cluster.port()));
    }

    private static void assertEveryRuleAsksForScram(Path pgData) throws IOException {
        assertThat(HbaFile.isHardened(pgData.resolve("pg_hba.conf"))).isTrue();
        assertThat(Files.readAllLines(pgData.resolve("pg_hba.conf")).stream().filter(l -> !l.startsWith("#")))
                .noneMatch(
                        l -> l.contains("trust") || l.contains("peer") || l.contains("md5") || l.contains("password "));
    }

    private static String select(EmbeddedCluster cluster, String password, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl("postgres"), "postgres", password);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
