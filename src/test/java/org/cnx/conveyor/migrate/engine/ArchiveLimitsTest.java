package org.cnx.conveyor.migrate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading migrations out of a hostile artifact stops at the limits instead of unpacking gigabytes into memory. */
@Timeout(30)
class ArchiveLimitsTest {

    @TempDir
    Path dir;

    /** A tar.gz whose only entry claims 2.2 GB: what a few megabytes of compressed zeros unpack to. */
    private Path claimsHugeMigration() throws IOException {
        Path archive = dir.resolve("bomb.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            TarArchiveEntry entry = new TarArchiveEntry("migrations/V1__bomb.sql");
            entry.setSize(2_200_000_000L);
            byte[] header = new byte[512];
            entry.writeEntryHeader(
                    header, org.apache.commons.compress.archivers.zip.ZipEncodingHelper.getZipEncoding("UTF-8"), true);
            out.write(header);
            out.write(new byte[1 << 20]);
        }
        return archive;
    }

    private Path archive(String... nameThenText) throws IOException {
        Path archive = dir.resolve("a" + System.nanoTime() + ".tar.gz");
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)))) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (int i = 0; i < nameThenText.length; i += 2) {
                byte[] bytes = nameThenText[i + 1].getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(nameThenText[i]);
                entry.setSize(bytes.length);
                tar.putArchiveEntry(entry);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    @Test
    void aMigrationClaimingGigabytesIsRefusedWithoutReadingIt() throws IOException {
        Path bomb = claimsHugeMigration();
        assertThat(Files.size(bomb)).isLessThan(100_000);
        assertThatThrownBy(() -> MigrationSet.fromArchive(bomb, "migrations"))
                .isInstanceOf(MigrationSetException.class)
                .hasMessageContaining(
                        "migrations/V1__bomb.sql: larger than 8388608 bytes (conveyor.artifacts.max-entry-size)");
    }

    @Test
    void migrationsAddingUpPastTheReadLimitAreRefused() throws IOException {
        String kilobyte = "-- " + "x".repeat(1021) + "\n";
        Path archive = archive("migrations/V1__a.sql", kilobyte.repeat(3), "migrations/V2__b.sql", kilobyte.repeat(3));
        assertThatThrownBy(() -> MigrationSet.fromArchive(
                        archive,
                        "migrations",
                        new MigrationSet.Limits(4096, 5000, 1 << 20),
                        MigrationSet.Source.FLYWAY))
                .hasMessageContaining("add up to more than 5000 bytes (conveyor.artifacts.max-read-size)");
    }

    @Test
    void anArtifactUnpackingPastTheScanLimitIsRefused() throws IOException {
        Path archive = archive("app/big.bin", "0".repeat(200_000), "migrations/V1__a.sql", "SELECT 1;");
        assertThatThrownBy(() -> MigrationSet.fromArchive(
                        archive,
                        "migrations",
                        new MigrationSet.Limits(4096, 8192, 100_000),
                        MigrationSet.Source.FLYWAY))
                .hasMessageContaining("unpacks to more than 100000 bytes (conveyor.artifacts.max-unpacked-size)");
    }

    @Test
    void onlyTheMigrationFilesAreReadOtherFilesCountOnlyTowardsTheScan() throws Exception {
        Path archive = archive(
                "app/big.bin",
                "0".repeat(50_000),
                "migrations/README.md",
                "#".repeat(50_000),
                "migrations/V1__a.sql",
                "SELECT 1;");
        MigrationSet set = MigrationSet.fromArchive(
                archive, "migrations", new MigrationSet.Limits(4096, 8192, 1 << 20), MigrationSet.Source.FLYWAY);
        assertThat(set.versioned()).extracting(MigrationScript::fileName).containsExactly("V1__a.sql");
        assertThat(set.notRun()).extracting(MigrationSet.NotRun::path).containsExactly("README.md");
    }
}
