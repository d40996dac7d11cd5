package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnx.conveyor.deploy.DeployRun.StoppedAt;
import org.cnx.conveyor.environment.definition.DefinitionParser;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.ParseResult;
import org.cnx.conveyor.job.JobStatus;
import org.cnx.conveyor.job.JobStep;
import org.cnx.conveyor.job.JobStep.State;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.release.ReleaseViews.ComponentPin;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;
import org.cnx.conveyor.transport.LocalConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy whose Conveyor died is finished from its journal: after the commit it only prunes, once hosts started to
 * switch it puts them back, before any switch it removes what it prepared. Runs the real steps on local folders, with
 * the job, its journal and the database side in memory.
 */
class DeployRecoveryTest {

    @TempDir
    Path dir;

    private Path root;
    private Path events;
    private EnvironmentDefinition definition;
    private final MemoryDatabase database = new MemoryDatabase();

    @BeforeEach
    void defineOneLocalHost() throws IOException {
        root = dir.resolve("hosts");
        events = dir.resolve("events.log");
        Files.createFile(events);
        String yaml = """
                name: recovering
                kind: shared
                stage: dev
                root: %s
                keepReleases: 2
                hosts:
                  - name: web1
                    transport: local
                    roles: [web]
                components:
                  web:
                    start: echo "start $CONVEYOR_RELEASE $CONVEYOR_VERSION" >> %s
                    stop: echo "stop $CONVEYOR_RELEASE $CONVEYOR_VERSION" >> %s
                """.formatted(root, events, events);
        ParseResult parsed = new DefinitionParser().parse("recovering.yml", yaml);
        assertThat(parsed.problems()).isEmpty();
        definition = parsed.definition().orElseThrow();
    }

    @Test
    void afterTheCommitItPrunesOldReleasesAndSucceedsWithoutTouchingCurrent() throws IOException {
        hostHasReleases("1", "2", "3", "4", "5");
        pointCurrentAt("5");
        MemoryJob job = new MemoryJob(5, 4L)
                .journaled(Phase.PREPARE, "web1", "web", "prepare", "new", State.DONE)
                .journaled(Phase.SWITCH, "web1", "web", "switch", "releases/4", State.DONE)
                .journaled(Phase.COMMIT, "*", "*", "commit", null, State.DONE);

        recover(job, 5);

        assertThat(job.row().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.row().phase).isEqualTo(Phase.POST_COMMIT);
        assertThat(current()).isEqualTo("releases/5");
        assertThat(releasesOnHost()).containsExactlyInAnyOrder("4", "5");
        assertThat(Files.readAllLines(events)).as("nothing restarted").isEmpty();
        assertThat(database.calls).containsExactly("afterCommit");
    }

    @Test
    void afterSwitchesStartedItPutsCurrentBackRestartsTheOldReleaseAndRemovesTheNewOne() throws IOException {
        hostHasReleases("1", "2");
        pointCurrentAt("2");
        MemoryJob job = new MemoryJob(2, 1L)
                .journaled(Phase.PREPARE, "web1", "web", "prepare", "new", State.DONE)
                .journaled(Phase.SWITCH, "web1", "web", "switch", "releases/1", State.STARTED);

        recover(job, 2);

        assertThat(job.row().status()).isEqualTo(JobStatus.ROLLED_BACK);
        assertThat(job.row().error).contains("after hosts started to switch");
        assertThat(current()).isEqualTo("releases/1");
        assertThat(releasesOnHost()).containsExactly("1");
        assertThat(Files.readAllLines(events)).containsExactly("stop 2 2.0", "start 1 1.0");
        assertThat(job.steps())
                .filteredOn(s -> s.phase == Phase.ROLLBACK)
                .extracting(s -> s.action + " " + s.beforeValue + " " + s.state())
                .containsExactly("restore releases/1 DONE");
        assertThat(database.calls).contains("compensate");
    }

    @Test
    void afterTheFirstSwitchOfAHostItRemovesCurrentAgain() throws IOException {
        hostHasReleases("1");
        pointCurrentAt("1");
        MemoryJob job = new MemoryJob(1, null)
                .journaled(Phase.PREPARE, "web1", "web", "prepare", "new", State.DONE)
                .journaled(Phase.SWITCH, "web1", "web", "switch", "", State.DONE)
                .journaled(Phase.VERIFY, "web1", "web", "health-check", null, State.STARTED);

        recover(job, 1);

        assertThat(job.row().status()).isEqualTo(JobStatus.ROLLED_BACK);
        assertThat(Files.exists(root.resolve("web/current"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .isFalse();
        assertThat(releasesOnHost()).isEmpty();
        assertThat(Files.readAllLines(events)).containsExactly("stop 1 1.0");
    }

    @Test
    void beforeAnySwitchItRemovesOnlyTheFoldersItMadeAndFailsWithNothingChanged() throws IOException {
        hostHasReleases("1", "2");
        pointCurrentAt("1");
        MemoryJob job = new MemoryJob(2, 1L).journaled(Phase.PREPARE, "web1", "web", "prepare", "new", State.DONE);

        recover(job, 2);

        assertThat(job.row().status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.row().error)
                .isEqualTo("Conveyor stopped during the deploy, before any host switched; nothing was changed");
        assertThat(current()).isEqualTo("releases/1");
        assertThat(releasesOnHost()).containsExactly("1");
        assertThat(Files.readAllLines(events)).isEmpty();
    }

    @Test
    void beforeAnySwitchAFolderThatWasAlreadyPreparedStays() throws IOException {
        hostHasReleases("1", "2");
        pointCurrentAt("1");
        MemoryJob job =
                new MemoryJob(2, 1L).journaled(Phase.PREPARE, "web1", "web", "prepare", "existing", State.SKIPPED);

        recover(job, 2);

        assertThat(job.row().status()).isEqualTo(JobStatus.FAILED);
        assertThat(releasesOnHost()).containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void beforeAnySwitchAfterMigrationsItRollsTheDatabaseBack() throws IOException {
        hostHasReleases("1", "2");
        pointCurrentAt("1");
        database.changed = true;
        MemoryJob job = new MemoryJob(2, 1L)
                .journaled(Phase.PREPARE, "web1", "web", "prepare", "new", State.DONE)
                .journaled(Phase.MIGRATE, "database", "db", "apply", "3", State.DONE);

        recover(job, 2);

        assertThat(job.row().status()).isEqualTo(JobStatus.ROLLED_BACK);
        assertThat(job.row().phase).isEqualTo(Phase.ROLLBACK);
        assertThat(database.calls).containsExactly("compensate");
        assertThat(releasesOnHost()).containsExactly("1");
    }

    @Test
    void theJournalSaysWhereTheDeployStopped() {
        assertThat(StoppedAt.of(List.of())).isEqualTo(StoppedAt.BEFORE_SWITCH);
        assertThat(StoppedAt.of(List.of(step(Phase.PREPARE, State.DONE), step(Phase.MIGRATE, State.DONE))))
                .isEqualTo(StoppedAt.BEFORE_SWITCH);
        assertThat(StoppedAt.of(List.of(step(Phase.PREPARE, State.DONE), step(Phase.SWITCH, State.STARTED))))
                .isEqualTo(StoppedAt.AFTER_SWITCH_STARTED);
        assertThat(StoppedAt.of(List.of(step(Phase.SWITCH, State.DONE), step(Phase.COMMIT, State.STARTED))))
                .as("a commit step is only ever written done; anything else is not a commit")
                .isEqualTo(StoppedAt.AFTER_SWITCH_STARTED);
        assertThat(StoppedAt.of(List.of(step(Phase.SWITCH, State.DONE), step(Phase.COMMIT, State.DONE))))
                .isEqualTo(StoppedAt.AFTER_COMMIT);
    }

    private static JobStep step(Phase phase, State state) {
        JobStep step = new JobStep();
        step.phase = phase;
        step.state = state.name();
        return step;
    }

    private void recover(MemoryJob job, long release) {
        Map<String, ComponentPin> pins = Map.of("web", new ComponentPin(release + ".0", null));
        ReleaseView view = new ReleaseView(release, Instant.now(), "ada", null, null, pins);
        new DeployRun(job, Target.of(definition, view), new LocalServices()).recover();
    }

    private void hostHasReleases(String... releases) throws IOException {
        for (String release : releases) {
            Files.createDirectories(root.resolve("web/releases").resolve(release));
        }
        Files.createDirectories(root.resolve("web/shared"));
    }

    private void pointCurrentAt(String release) throws IOException {
        Files.createSymbolicLink(root.resolve("web/current"), Path.of("releases", release));
    }

    private String current() throws IOException {
        return Files.readSymbolicLink(root.resolve("web/current")).toString();
    }

    private List<String> releasesOnHost() throws IOException {
        try (var list = Files.list(root.resolve("web/releases"))) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** The database side of the deploy: records what the run asked of it. */
    static final class MemoryDatabase implements DeployDatabase {
        final List<String> calls = new ArrayList<>();
        boolean changed;

        @Override
        public Optional<String> run() {
            calls.add("run");
            return Optional.empty();
        }

        @Override
        public boolean changedDatabase() {
            return changed;
        }

        @Override
        public List<String> compensate() {
            calls.add("compensate");
            return List.of();
        }

        @Override
        public void afterCommit() {
            calls.add("afterCommit");
        }
    }

    /** Hosts reached as local processes; release versions are "<id>.0"; no secrets. */
    final class LocalServices extends DeployServices {

        LocalServices() {
            super(
                    (endpoint, secrets) -> new LocalConnection(endpoint.host()),
                    null,
                    null,
                    null,
                    null,
                    new Timeouts(),
                    null,
                    new KeptConnections(new Timeouts()));
        }

        @Override
        Optional<String> secretValue(String name) {
            return Optional.empty();
        }

        @Override
        String resolveSecrets(String value) {
            return value;
        }

        @Override
        Map<String, String> versionsOf(Long releaseId) {
            return releaseId == null ? Map.of() : Map.of("web", releaseId + ".0");
        }

        @Override
        DeployDatabase database(
                org.cnx.conveyor.job.RunningJob job, EnvironmentDefinition definition, ReleaseView release) {
            return database;
        }
    }

    static class Timeouts implements DeployConfig {
        @Override
        public int parallelism() {
            return 2;
        }

        @Override
        public Duration installTimeout() {
            return Duration.ofSeconds(30);
        }

        @Override
        public Duration serviceTimeout() {
            return Duration.ofSeconds(30);
        }

        @Override
        public Duration stepTimeout() {
            return Duration.ofSeconds(30);
        }

        @Override
        public Duration keepConnections() {
            return Duration.ZERO;
        }

        @Override
        public boolean demoRelease() {
            return false;
        }
    }
}
