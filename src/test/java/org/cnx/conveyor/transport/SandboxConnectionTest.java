package org.cnx.conveyor.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sandbox transport with real bubblewrap and setpriv: what a hostile command of one environment can reach. */
class SandboxConnectionTest {

    private static final String MASTER_KEY = "master-key-that-must-not-leak";
    private static final Path ATTACK =
            Path.of("src/test/resources/stacks/hostile/attack.sh").toAbsolutePath();
    private static final Duration STEP = Duration.ofSeconds(30);

    private Path data;
    private SandboxConnector connector;
    private SandboxConnection clone;
    private SandboxConnection neighbour;

    @BeforeEach
    void twoSandboxedEnvironments() throws Exception {
        Files.createDirectories(Path.of("target"));
        data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "sandbox-data-");
        Files.writeString(data.resolve("master.key"), MASTER_KEY);
        Files.setPosixFilePermissions(data.resolve("master.key"), PosixFilePermissions.fromString("rw-------"));
        connector = new SandboxConnector(data, 60500, 61183, List.of(), () -> 0);
        clone = connector.connect(host("dev-attacker"));
        neighbour = connector.connect(host("dev-victim"));
        Path secret = data.resolve("hosts/dev-victim/secret.txt");
        Files.writeString(secret, "the neighbour's secret");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (SandboxConnection connection : List.of(clone, neighbour)) {
            connection.removeRoot(
                    data.resolve("hosts").resolve(connection.host()).toString(), STEP, OutputSink.DISCARD);
        }
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        }
    }

    @Test
    void runsEachEnvironmentAsAnUnprivilegedUidOfItsOwn() throws Exception {
        assertThat(clone.uid()).isBetween(60500, 61183).isNotEqualTo(neighbour.uid());
        assertThat(output(clone, "id -u; grep CapEff /proc/self/status; pwd"))
                .containsExactly(
                        Integer.toString(clone.uid()),
                        "CapEff:\t0000000000000000",
                        data.resolve("hosts/dev-attacker").toString());
        assertThat(Files.getAttribute(data.resolve("hosts/dev-attacker"), "unix:uid"))
                .isEqualTo(clone.uid());
    }

    @Test
    void aHostileCommandCannotReadConveyorsFilesNorANeighboursNorTouchConveyorsProcess() throws Exception {
        List<String> lines = attack(clone, "install", Map.of());

        assertThat(String.join("\n", lines))
                .doesNotContain(MASTER_KEY)
                .doesNotContain("the neighbour's secret")
                .doesNotContain("SUCCEEDED");
        assertThat(lines)
                .contains("ATTACK install uid: " + clone.uid(), "ATTACK install CapEff:\t0000000000000000")
                .anyMatch(line -> line.startsWith("ATTACK install read-master-key: blocked"))
                .anyMatch(line -> line.startsWith("ATTACK install list-data-dir: blocked"))
                .anyMatch(line -> line.startsWith("ATTACK install list-hosts: blocked"))
                .anyMatch(line -> line.startsWith("ATTACK install read-neighbour: blocked"))
                .anyMatch(line -> line.startsWith("ATTACK install read-conveyor-environ: blocked"))
                .anyMatch(line -> line.startsWith("ATTACK install read-conveyor-root: blocked"))
                .anyMatch(line -> line.startsWith("ATTACK install signal-conveyor: blocked"))
                .anyMatch(line -> line.startsWith("ATTACK install write-system: blocked"))
                .anyMatch(line -> line.startsWith("ATTACK install gain-root: blocked"));
    }

    @Test
    void aDaemonOutlivesItsStartCommandButANeighbourCannotSignalOrInspectIt() throws Exception {
        neighbour.run("setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $! > daemon.pid", STEP, OutputSink.DISCARD);
        long daemon = Long.parseLong(
                Files.readString(data.resolve("hosts/dev-victim/daemon.pid")).trim());
        assertThat(ProcessHandle.of(daemon))
                .hasValueSatisfying(process -> assertThat(process.isAlive()).isTrue());

        List<String> lines = attack(clone, "start", Map.of("ATTACK_NEIGHBOUR_PID", Long.toString(daemon)));

        assertThat(lines)
                .anyMatch(line -> line.startsWith("ATTACK start read-neighbour-environ: blocked"))
                .anyMatch(line -> line.startsWith("ATTACK start signal-neighbour: blocked"))
                .noneMatch(line -> line.contains("SUCCEEDED"));
        assertThat(ProcessHandle.of(daemon).map(ProcessHandle::isAlive)).contains(true);
    }

    @Test
    void removingTheRootStopsTheUidsProcessesAndFreesTheUid() throws Exception {
        neighbour.run("setsid sleep 300 </dev/null >/dev/null 2>&1 &", STEP, OutputSink.DISCARD);
        int uid = neighbour.uid();
        assertThat(UidProcesses.of(uid)).isNotEmpty();

        neighbour.removeRoot(data.resolve("hosts/dev-victim").toString(), STEP, OutputSink.DISCARD);

        assertThat(UidProcesses.of(uid)).isEmpty();
        assertThat(data.resolve("hosts/dev-victim")).doesNotExist();
        assertThat(data.resolve("sandbox/uids/" + uid)).doesNotExist();
    }

    @Test
    void uploadsAsTheSandboxUidSoAPlantedLinkCannotRedirectConveyorsWrite() throws Exception {
        Path artifact = Files.writeString(data.resolve("artifact.tar.gz"), "bytes");
        Path root = data.resolve("hosts/dev-attacker");

        clone.upload(artifact, root.resolve("cache.tar.gz").toString());
        assertThat(Files.getAttribute(root.resolve("cache.tar.gz"), "unix:uid")).isEqualTo(clone.uid());

        clone.run("ln -s " + data.resolve("planted") + " planted.tar.gz", STEP, OutputSink.DISCARD);
        assertThatThrownBy(() ->
                        clone.upload(artifact, root.resolve("planted.tar.gz").toString()))
                .isInstanceOf(TransportException.CommandFailed.class);
        assertThat(data.resolve("planted")).doesNotExist();
        assertThatThrownBy(
                        () -> clone.upload(artifact, data.resolve("master.key").toString()))
                .isInstanceOf(TransportException.HostUnreachable.class)
                .hasMessageContaining("outside the sandbox's root");
        assertThat(Files.readString(data.resolve("master.key"))).isEqualTo(MASTER_KEY);
    }

    @Test
    void refusesToRunAnythingWhenConveyorCannotSwitchToAnotherUid() throws Exception {
        SandboxConnector unprivileged = new SandboxConnector(data, 60500, 61183, List.of(), () -> 1000);

        assertThatThrownBy(() -> unprivileged.connect(host("dev-nonroot")))
                .isInstanceOf(TransportException.HostUnreachable.class)
                .hasMessageContaining("needs Conveyor to run as root")
                .hasMessageContaining("nothing was run unsandboxed")
                .hasMessageContaining("docs/transports.md");
        assertThat(data.resolve("hosts/dev-nonroot")).doesNotExist();
    }

    @Test
    void refusesARootOutsideTheDataDirsHostsFolder() {
        Endpoint.Sandbox system = new Endpoint.Sandbox("local", java.nio.file.Path.of("/etc/ssh"));

        assertThatThrownBy(() -> connector.connect(system))
                .isInstanceOf(TransportException.HostUnreachable.class)
                .hasMessageContaining("must be a folder of its own in " + data.resolve("hosts"));
    }

    private List<String> attack(SandboxConnection connection, String step, Map<String, String> more) throws Exception {
        Path script = data.resolve("hosts").resolve(connection.host()).resolve("attack.sh");
        Files.copy(ATTACK, script);
        Files.setAttribute(script, "unix:uid", connection.uid());
        StringBuilder env = new StringBuilder(
                "ATTACK_DATA_DIR=" + data + " ATTACK_NEIGHBOUR=" + data.resolve("hosts/dev-victim") + " ATTACK_PID="
                        + ProcessHandle.current().pid() + " CONVEYOR_ENVIRONMENT=" + connection.host());
        more.forEach((name, value) -> env.append(' ').append(name).append('=').append(value));
        return output(connection, "env " + env + " sh ./attack.sh " + step);
    }

    private static List<String> output(SandboxConnection connection, String command) throws Exception {
        RecordingSink sink = new RecordingSink();
        connection.run(command, STEP, sink);
        return sink.texts(OutputSink.Stream.STDOUT);
    }

    private Endpoint.Sandbox host(String environment) {
        return new Endpoint.Sandbox(environment, data.resolve("hosts").resolve(environment));
    }
}
