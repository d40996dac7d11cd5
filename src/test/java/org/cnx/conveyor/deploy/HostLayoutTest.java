package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.cnx.conveyor.deploy.HostLayout.Current;
import org.cnx.conveyor.deploy.HostLayout.Query;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands a deploy sends to a host, read as text and run with {@code sh} in a temporary folder. */
class HostLayoutTest {

    private static final String SHA = "a".repeat(64);

    @TempDir
    Path dir;

    @Test
    void buildsThePreparedTestFromQuotedPathsAndAStampOfVersionAndArtifact() {
        HostLayout layout = new HostLayout("/srv/cnx/");

        assertThat(layout.ensureFolders("webview"))
                .isEqualTo("mkdir -p '/srv/cnx/webview/releases' '/srv/cnx/webview/shared' '/srv/cnx/.conveyor/cache'");
        assertThat(layout.isPrepared("webview", "7", "1.2.3", SHA))
                .isEqualTo("[ \"$(cat '/srv/cnx/webview/releases/7/.conveyor-prepared' 2>/dev/null)\" = '1.2.3 " + SHA
                        + "' ]");
        assertThat(layout.isPrepared("webview", "7", "1.2.3", null)).endsWith("= '1.2.3 no-artifact' ]");
    }

    @Test
    void repointsCurrentWithARenameOfARelativeLink() {
        HostLayout layout = new HostLayout("/srv/cnx");

        assertThat(layout.pointCurrent("webview", HostLayout.linkTarget("7")))
                .isEqualTo(
                        "ln -sfn 'releases/7' '/srv/cnx/webview/.current.next' && mv -T '/srv/cnx/webview/.current.next' '/srv/cnx/webview/current'");
        assertThat(layout.readCurrent("webview").script()).isEqualTo("readlink '/srv/cnx/webview/current' || true");
    }

    @Test
    void refusesNamesReleasesAndChecksumsThatAreNotWhatTheirPlaceExpects() {
        HostLayout layout = new HostLayout("/srv/cnx");

        assertThatThrownBy(() -> layout.releaseDir("web view", "7")).hasMessageContaining("not a component name");
        assertThatThrownBy(() -> layout.releaseDir("webview", "7; rm -rf /")).hasMessageContaining("not a release id");
        assertThatThrownBy(() -> layout.cachedArtifact("$(id)")).hasMessageContaining("not a sha256");
        assertThatThrownBy(() -> new HostLayout("srv/cnx")).hasMessageContaining("absolute path");
    }

    @Test
    void aReleaseIsCachedThenPreparedAsARealShellWalksThroughPrepare() throws Exception {
        HostLayout layout = new HostLayout(dir.resolve("root").toString());
        byte[] artifact = artifact("index.html", "hello");
        String sha = sha256(artifact);
        sh(layout.ensureFolders("webview"));

        assertThat(Path.of(layout.cachedArtifact(sha))).doesNotExist();
        Path upload = Path.of(layout.cachedArtifact(sha) + ".upload-1");
        Files.write(upload, artifact);
        sh(layout.verifyUpload(upload.toString(), sha));
        assertThat(Path.of(layout.cachedArtifact(sha))).exists();
        assertThat(sh(layout.isPrepared("webview", "7", "1.0", sha)).exit()).isEqualTo(1);

        sh(layout.unpack("webview", "7", sha) + " && " + layout.markPrepared("webview", "7", "1.0", sha));

        assertThat(Path.of(layout.releaseDir("webview", "7"), "index.html")).hasContent("hello");
        assertThat(sh(layout.isPrepared("webview", "7", "1.0", sha)).exit()).isZero();
        assertThat(sh(layout.isPrepared("webview", "7", "1.1", sha)).exit())
                .as("another version under the same release number")
                .isEqualTo(1);
    }

    @Test
    void anUploadWithTheWrongChecksumIsRemovedAndNeverCached() throws Exception {
        HostLayout layout = new HostLayout(dir.toString());
        sh(layout.ensureFolders("webview"));
        Path upload = Path.of(layout.cachedArtifact(SHA) + ".upload-1");
        Files.writeString(upload, "not the artifact");

        Result result = sh(layout.verifyUpload(upload.toString(), SHA));

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stderr()).contains("artifact checksum mismatch");
        assertThat(upload).doesNotExist();
        assertThat(Path.of(layout.cachedArtifact(SHA))).doesNotExist();
    }

    @Test
    void currentMovesBetweenReleasesAndReadsBackAsTheReleaseItNames() throws Exception {
        HostLayout layout = new HostLayout(dir.toString());
        sh(layout.ensureFolders("webview") + " && " + layout.unpack("webview", "7", null) + " && "
                + layout.unpack("webview", "8", null));

        assertThat(ask(layout.readCurrent("webview"))).isEqualTo(Current.NONE);
        sh(layout.pointCurrent("webview", HostLayout.linkTarget("7")));
        sh(layout.pointCurrent("webview", HostLayout.linkTarget("8")));

        Current current = ask(layout.readCurrent("webview"));
        assertThat(current.target()).isEqualTo("releases/8");
        assertThat(current.release()).isEqualTo("8");
        sh(layout.removeCurrent("webview"));
        assertThat(ask(layout.readCurrent("webview")).isNone()).isTrue();
    }

    @Test
    void hostileVersionsAndRootsStayWordsAndRunNothing() throws Exception {
        Path root = dir.resolve("it's a $(touch pwned-root) root");
        HostLayout layout = new HostLayout(root.toString());
        String version = "1.0'; touch pwned; echo '";

        sh(layout.ensureFolders("webview") + " && " + layout.unpack("webview", "7", null) + " && "
                + layout.markPrepared("webview", "7", version, null));

        assertThat(sh(layout.isPrepared("webview", "7", version, null)).exit()).isZero();
        assertThat(Path.of(layout.releaseDir("webview", "7"), HostLayout.PREPARED_MARKER))
                .hasContent(version + " no-artifact");
        assertThat(dir.resolve("pwned")).doesNotExist();
        assertThat(dir.resolve("pwned-root")).doesNotExist();
        assertThat(Path.of("pwned")).doesNotExist();
    }

    @Test
    void aLockedCommandRunsUnderTheRootsLockFile() throws Exception {
        HostLayout layout = new HostLayout(dir.toString());

        Result result = sh(layout.locked("echo inside"));

        assertThat(result.stdout()).isEqualTo("inside\n");
        assertThat(dir.resolve(".conveyor")).isDirectory();
    }

    @Test
    void removingAReleaseTakesItsHalfUnpackedFolderToo() throws Exception {
        HostLayout layout = new HostLayout(dir.toString());
        Files.createDirectories(Path.of(layout.releaseDir("webview", "7")));
        Files.createDirectories(Path.of(layout.releaseDir("webview", "7") + ".unpacking"));

        sh(layout.removeRelease("webview", "7"));

        assertThat(Path.of(layout.releaseDir("webview", "7"))).doesNotExist();
        assertThat(Path.of(layout.releaseDir("webview", "7") + ".unpacking")).doesNotExist();
    }

    private <T> T ask(Query<T> query) throws Exception {
        Result result = sh(query.script());
        assertThat(result.exit()).as(result.stderr()).isZero();
        return query.read("test", result.stdout());
    }

    record Result(int exit, String stdout, String stderr) {}

    private Result sh(String script) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), out, err);
    }

    private static byte[] artifact(String name, String content) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(bytes);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(data.length);
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
