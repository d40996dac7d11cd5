package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.cnx.conveyor.environment.definition.DefinitionParser;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.ParseResult;
import org.cnx.conveyor.job.JobStatus;
import org.cnx.conveyor.job.JobStep;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.transport.HostConnection;
import org.cnx.conveyor.transport.InputFeeder;
import org.cnx.conveyor.transport.LocalConnection;
import org.cnx.conveyor.transport.OutputSink;
import org.cnx.conveyor.transport.TransportException;
import org.cnx.conveyor.transport.Tunnel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many commands a job starts on each host, whatever the number of components: a deploy is one prepare script and
 * one switch-and-verify script per host (plus pruning once the job has ended), a rollback to a release still prepared
 * is the switch script alone; the journal still has a step per component. Real scripts on local folders.
 */
class ExecsPerHostTest {

    private static final List<String> HOSTS = List.of("h1", "h2", "h3");

    @TempDir
    Path dir;

    private final Map<String, AtomicInteger> execs = new ConcurrentHashMap<>();
    private EnvironmentDefinition definition;
    private LocalDeploys deploys;

    @BeforeEach
    void defineThreeHostsWithTwoComponents() {
        StringBuilder yaml = new StringBuilder("name: counted\nkind: shared\nstage: live\nhosts:\n");
        for (String host : HOSTS) {
            yaml.append(
                    "  - {name: %s, transport: local, roles: [app], root: %s}\n".formatted(host, dir.resolve(host)));
        }
        yaml.append("""
                components:
                  api:
                    role: app
                    install: echo "install $CONVEYOR_VERSION" > installed
                    start: echo started > ../../started-api
                    stop: "true"
                    health: {command: test -f installed, retries: 1, interval: 1s}
                  web:
                    role: app
                    start: "true"
                    stop: "true"
                """);
        ParseResult parsed = new DefinitionParser().parse("counted.yml", yaml.toString());
        assertThat(parsed.problems()).isEmpty();
        definition = parsed.definition().orElseThrow();
        deploys = new LocalDeploys(
                (endpoint, secrets) -> new Counting(new LocalConnection(endpoint.host()), execs),
                new DeployRecoveryTest.Timeouts(),
                "api",
                "web");
    }

    @Test
    void aDeployIsOnePrepareAndOneSwitchScriptPerHostThenPruningAfterTheJobEnded() {
        assertThat(deploys.deploy(definition, 1, null).row().status()).isEqualTo(JobStatus.SUCCEEDED);
        execs.clear();

        MemoryJob job = deploys.deploy(definition, 2, 1L);

        assertThat(job.row().status()).isEqualTo(JobStatus.SUCCEEDED);
        for (String host : HOSTS) {
            assertThat(execs.get(host)).as(host).hasValue(3);
            assertThat(steps(job, host, Phase.PREPARE)).hasSize(2);
            assertThat(steps(job, host, Phase.SWITCH)).hasSize(2).allMatch(s -> s.state() == JobStep.State.DONE);
            assertThat(steps(job, host, Phase.VERIFY)).hasSize(1).allMatch(s -> s.action.equals("health-check"));
        }
        assertThat(dir.resolve("h1/api/current/installed")).hasContent("install 2.0");
    }

    @Test
    void aRollbackToAReleaseStillPreparedIsTheSwitchScriptAlone() throws IOException {
        deploys.deploy(definition, 1, null);
        deploys.deploy(definition, 2, 1L);
        execs.clear();

        MemoryJob job = deploys.rollback(definition, 1, 2);

        assertThat(job.row().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.steps()).noneMatch(s -> s.phase == Phase.PREPARE);
        for (String host : HOSTS) {
            assertThat(execs.get(host)).as(host).hasValue(2);
            assertThat(Files.readSymbolicLink(dir.resolve(host).resolve("api/current")))
                    .isEqualTo(Path.of("releases/1"));
        }
    }

    @Test
    void aRollbackWhoseReleaseTheHostLostStopsBeforeMovingAnythingThere() throws IOException {
        deploys.deploy(definition, 1, null);
        deploys.deploy(definition, 2, 1L);
        deleteRecursively(dir.resolve("h2/api/releases/1"));

        MemoryJob job = deploys.rollback(definition, 1, 2);

        assertThat(job.row().status()).isEqualTo(JobStatus.ROLLED_BACK);
        assertThat(job.row().error).contains("switch failed on h2");
        for (String host : HOSTS) {
            assertThat(Files.readSymbolicLink(dir.resolve(host).resolve("api/current")))
                    .as(host)
                    .isEqualTo(Path.of("releases/2"));
        }
        assertThat(steps(job, "h2", Phase.SWITCH))
                .extracting(s -> SwitchState.of(s))
                .containsOnly(SwitchState.NOT_SWITCHED);
    }

    private static List<JobStep> steps(MemoryJob job, String host, Phase phase) {
        return job.steps().stream()
                .filter(s -> s.host.equals(host) && s.phase == phase)
                .toList();
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    /** A local connection that counts the commands started on its host. */
    private record Counting(LocalConnection local, Map<String, AtomicInteger> execs) implements HostConnection {
        @Override
        public String host() {
            return local.host();
        }

        @Override
        public int exec(String command, Duration timeout, OutputSink sink) throws TransportException {
            execs.computeIfAbsent(host(), h -> new AtomicInteger()).incrementAndGet();
            return local.exec(command, timeout, sink);
        }

        @Override
        public int exec(String command, InputFeeder stdin, Duration timeout, OutputSink sink)
                throws TransportException {
            execs.computeIfAbsent(host(), h -> new AtomicInteger()).incrementAndGet();
            return local.exec(command, stdin, timeout, sink);
        }

        @Override
        public void upload(Path file, String remotePath) throws TransportException {
            execs.computeIfAbsent(host(), h -> new AtomicInteger()).incrementAndGet();
            local.upload(file, remotePath);
        }

        @Override
        public Tunnel forward(String targetHost, int targetPort) throws TransportException {
            return local.forward(targetHost, targetPort);
        }

        @Override
        public void close() {}
    }
}
