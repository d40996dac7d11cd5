package org.cnx.conveyor.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnx.conveyor.common.DataDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Path artifacts: only real files inside a root, never Conveyor's own files, whatever a root holds. */
class ArtifactRootsTest {

    private static final Path ROOT =
            Path.of("target", "test-artifacts", "roots-test").toAbsolutePath();
    private static Path data;

    @BeforeAll
    static void files() throws IOException {
        // The same data dir as the Quarkus tests of this run.
        System.setProperty(
                "conveyor.data-dir",
                System.getProperty(
                        "conveyor.data-dir",
                        Path.of("target", "test-data").toAbsolutePath().toString()));
        data = DataDirectory.resolve();
        // Stand-ins for the master key and the database folder: the real ones belong to the running Conveyor.
        Files.createDirectories(data.resolve("roots-test"));
        Files.writeString(data.resolve("roots-test").resolve("master.key"), "not the real key");
        Files.createDirectories(ROOT);
        Files.writeString(ROOT.resolve("app.tar.gz"), "artifact");
        link(ROOT.resolve("to-passwd"), Path.of("/etc/passwd"));
        link(ROOT.resolve("to-key"), data.resolve("roots-test/master.key"));
    }

    private static void link(Path link, Path target) throws IOException {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
    }

    private static void refused(ArtifactRoots roots, String path, String why) {
        assertThatThrownBy(() -> roots.confine(path))
                .isInstanceOf(ArtifactRoots.Refused.class)
                .hasMessageContaining(why);
    }

    @Test
    void aFileInsideARootIsAcceptedByItsRealPath() throws Exception {
        assertThat(new ArtifactRoots(Limits.roots(ROOT.toString())).confine(ROOT + "/./app.tar.gz"))
                .isEqualTo(ROOT.resolve("app.tar.gz").toRealPath());
    }

    @Test
    void filesOutsideTheRootsAreRefusedWithoutSayingWhetherTheyExist() {
        ArtifactRoots roots = new ArtifactRoots(Limits.roots(ROOT.toString()));
        refused(roots, "/etc/shadow", "artifact paths must lie inside");
        refused(roots, "/etc/no-such-file", "artifact paths must lie inside");
        refused(roots, "/proc/self/environ", "artifact paths must lie inside");
        refused(roots, data.resolve("roots-test/master.key").toString(), "artifact paths must lie inside");
        refused(roots, ROOT + "/../../../../../etc/shadow", "artifact paths must lie inside");
    }

    @Test
    void aSymbolicLinkInsideARootPointingOutsideIsRefused() {
        ArtifactRoots roots = new ArtifactRoots(Limits.roots(ROOT.toString()));
        refused(roots, ROOT.resolve("to-passwd").toString(), "leads outside the artifact roots");
        refused(roots, ROOT.resolve("to-key").toString(), "leads outside the artifact roots");
    }

    @Test
    void conveyorsOwnFilesAreRefusedEvenWhenARootHoldsThem() {
        ArtifactRoots everything = new ArtifactRoots(Limits.roots("/"));
        refused(everything, data.resolve("roots-test/master.key").toString(), "Conveyor's own files");
        refused(everything, data.resolve("roots-test/../roots-test/master.key").toString(), "Conveyor's own files");
        refused(everything, ROOT.resolve("to-key").toString(), "Conveyor's own files");
        refused(everything, "/proc/self/environ", "Conveyor's own files");
        refused(everything, "/proc/1/../self/environ", "Conveyor's own files");
    }

    @Test
    void aNulARelativePathAndAFolderAreRefused() {
        ArtifactRoots roots = new ArtifactRoots(Limits.roots(ROOT.toString()));
        refused(roots, ROOT + "/app.tar.gz\0.txt", "NUL");
        refused(roots, "target/test-artifacts/roots-test/app.tar.gz", "expected an absolute path");
        refused(roots, ROOT.toString(), "no readable file");
        refused(roots, "", "expected an absolute path");
    }
}
