package org.cnx.conveyor.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.cnx.conveyor.common.DataDirectory;
import org.cnx.conveyor.job.JobLog;
import org.cnx.conveyor.job.LogLine;
import org.cnx.conveyor.release.ReleaseViews.Source;
import org.cnx.conveyor.transport.Connectors;
import org.junit.jupiter.api.Test;

/**
 * A pull request's build is hostile: its command runs in a sandbox as a uid of its own, and what it prints cannot
 * make Conveyor read a file for it. Each test runs a build command that attacks Conveyor.
 */
@QuarkusTest
class BuildSandboxTest {

    @Inject
    Connectors connectors;

    @Test
    void aBuildCommandRunsAsAnUnprivilegedUidAndSeesNoneOfConveyorsFiles() throws Exception {
        Path masterKey = DataDirectory.resolve().resolve("master.key");
        assertThat(masterKey).exists();
        String attack = String.join(
                "; ",
                "echo uid=$(id -u)",
                "cat " + masterKey + " && echo READ-THE-MASTER-KEY",
                "ls " + DataDirectory.resolve() + " | grep -q master.key && echo LISTED-THE-DATA-DIR",
                "cat /proc/1/environ >/dev/null 2>&1 && echo READ-INIT-ENVIRON",
                "touch /usr/owned 2>/dev/null && echo WROTE-USR",
                "exit 1");
        JobLog log = JobLog.unstored(990_001);
        assertThatThrownBy(() -> sandbox(attack).run(990_001, build(), log))
                .isInstanceOf(SandboxBuild.BuildFailed.class)
                .hasMessageContaining("exited with status 1");
        String output = text(log);
        assertThat(output).containsPattern("uid=[1-9][0-9]*");
        assertThat(output)
                .doesNotContain("uid=0")
                .doesNotContain("READ-THE-MASTER-KEY")
                .doesNotContain("LISTED-THE-DATA-DIR")
                .doesNotContain("READ-INIT-ENVIRON")
                .doesNotContain("WROTE-USR")
                .doesNotContain(Files.readString(masterKey).strip());
        assertThat(SandboxBuild.root(990_001))
                .as("the build's sandbox is removed")
                .doesNotExist();
    }

    @Test
    void anArtifactLinkedToConveyorsMasterKeyIsNotReadForTheBuild() throws Exception {
        Path masterKey = DataDirectory.resolve().resolve("master.key");
        String sha = org.cnx.conveyor.release.ReleaseValidator.sha256(masterKey);
        // The build plants a link to the master key and prints it as its artifact, with the key's own checksum.
        String attack = "ln -s " + masterKey + " \"$CONVEYOR_BUILD_DIR/webview.tar.gz\" && echo webview 1.0 " + sha
                + " \"$CONVEYOR_BUILD_DIR/webview.tar.gz\"";
        assertThatThrownBy(() -> sandbox(attack).run(990_002, build(), JobLog.unstored(990_002)))
                .isInstanceOf(SandboxBuild.BuildFailed.class)
                .hasMessageContaining("cannot read the artifact");
        Path stored = DataDirectory.resolve()
                .resolve("artifacts")
                .resolve("builds")
                .resolve("job-990002")
                .resolve("webview-1.0.tar.gz");
        assertThat(!Files.exists(stored) || Files.size(stored) == 0)
                .as("nothing of the master key reaches the artifact store")
                .isTrue();
    }

    @Test
    void anArtifactOutsideTheBuildsFolderIsRefused() {
        String attack = "echo webview 1.0 " + "0".repeat(64) + " /etc/passwd";
        assertThatThrownBy(() -> sandbox(attack).run(990_003, build(), JobLog.unstored(990_003)))
                .isInstanceOf(SandboxBuild.BuildFailed.class)
                .hasMessageContaining("outside the build's folder");
    }

    private SandboxBuild sandbox(String command) {
        return new SandboxBuild(new BuildCommand(command), connectors);
    }

    private static Build build() {
        return Build.of(new Source("evil", "a".repeat(40), 66, "openstax/webview"), List.of("webview"), null);
    }

    private static String text(JobLog log) {
        return log.lines().stream().map(LogLine::line).collect(Collectors.joining("\n"));
    }

    /** The test's build command, with an empty workspace; every other setting is irrelevant to a build. */
    private record BuildCommand(String command) implements GitHubConfig {

        @Override
        public Optional<String> webhookSecret() {
            return Optional.empty();
        }

        @Override
        public int maxPayload() {
            return 0;
        }

        @Override
        public String apiUrl() {
            return "";
        }

        @Override
        public Optional<String> token() {
            return Optional.empty();
        }

        @Override
        public String conveyorUrl() {
            return "";
        }

        @Override
        public String statusContext() {
            return "";
        }

        @Override
        public int statusAttempts() {
            return 0;
        }

        @Override
        public Duration statusRetryDelay() {
            return Duration.ZERO;
        }

        @Override
        public Duration statusSendEvery() {
            return Duration.ZERO;
        }

        @Override
        public Map<String, String> components() {
            return Map.of();
        }

        @Override
        public Build build() {
            String text = command;
            return new Build() {
                @Override
                public String command() {
                    return text;
                }

                @Override
                public String workspace() {
                    return "target/no-such-workspace";
                }

                @Override
                public Duration timeout() {
                    return Duration.ofMinutes(1);
                }
            };
        }

        @Override
        public Push push() {
            return null;
        }
    }
}
