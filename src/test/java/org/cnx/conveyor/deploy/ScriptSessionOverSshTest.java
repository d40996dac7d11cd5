package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cnx.conveyor.support.OpenSshHost;
import org.cnx.conveyor.support.TestKeys;
import org.cnx.conveyor.support.TestSshHost;
import org.cnx.conveyor.transport.HostConnection;
import org.cnx.conveyor.transport.HostSession;
import org.cnx.conveyor.transport.OutputSink;
import org.cnx.conveyor.transport.Shell;
import org.cnx.conveyor.transport.SshConnector;
import org.cnx.conveyor.transport.TransportException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Phase scripts over a real OpenSSH host's kept script session: one command serves script after script, a step's
 * input arrives byte for byte when it asks, and a script past its time limit closes the session, the next script
 * starting a new one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScriptSessionOverSshTest {

    private static final String SECRET = "session-key";

    private TestSshHost host;
    private final List<String> output = new ArrayList<>();

    @BeforeAll
    void startHost() {
        host = OpenSshHost.start("app1", TestSshHost.HostKeyType.ED25519);
    }

    @org.junit.jupiter.api.BeforeEach
    void forgetOutput() {
        output.clear();
    }

    @AfterAll
    void stopHost() {
        host.close();
    }

    @Test
    void scriptAfterScriptRunsOnOneKeptSessionAndAStepGetsItsInputByteForByte() throws Exception {
        byte[] artifact = new byte[1_000_000];
        new Random(3).nextBytes(artifact);
        Path file = Files.createTempFile("artifact", ".bin");
        Files.write(file, artifact);
        Path received = host.dir().resolve("received.bin");
        try (HostConnection connection = connect()) {
            PhaseScript first = new PhaseScript(host.dir().toString());
            int take = first.addReadingInput(
                    PhaseScript.mark("need", 1) + " && head -c " + artifact.length + " > "
                            + Shell.quote(received.toString()),
                    PhaseScript.OnFailure.STOP,
                    Duration.ofSeconds(30));
            assertThat(ScriptRun.run(connection, first, Map.of(take, file), Map.of(), sink()))
                    .isZero();
            HostSession session = connection.session(PhaseScript.SESSION).orElseThrow();

            PhaseScript second = new PhaseScript(host.dir().toString());
            second.add("echo second; exit 4", PhaseScript.OnFailure.STOP, Duration.ofSeconds(5));
            assertThat(ScriptRun.run(connection, second, Map.of(), Map.of(), sink()))
                    .isEqualTo(4);

            assertThat(connection.session(PhaseScript.SESSION)).containsSame(session);
            assertThat(session.isOpen()).isTrue();
        }
        assertThat(Files.readAllBytes(received)).isEqualTo(artifact);
        assertThat(output).containsExactly("second");
    }

    @Test
    void aLowPriorityScriptRunsNicedOnTheSameSessionAndTheNextNormalOneDoesNot() throws Exception {
        try (HostConnection connection = connect()) {
            PhaseScript housekeeping = new PhaseScript(host.dir().toString()).priority(PhaseScript.Priority.LOW);
            housekeeping.add("nice", PhaseScript.OnFailure.STOP, Duration.ofSeconds(5));
            assertThat(ScriptRun.run(connection, housekeeping, Map.of(), Map.of(), sink()))
                    .isZero();
            HostSession session = connection.session(PhaseScript.SESSION).orElseThrow();
            PhaseScript normal = new PhaseScript(host.dir().toString());
            normal.add("nice", PhaseScript.OnFailure.STOP, Duration.ofSeconds(5));
            assertThat(ScriptRun.run(connection, normal, Map.of(), Map.of(), sink()))
                    .isZero();
            assertThat(connection.session(PhaseScript.SESSION)).containsSame(session);
        }
        // `nice` without a command prints the niceness it runs at.
        assertThat(output).containsExactly("19", "0");
    }

    @Test
    void aScriptPastItsLimitClosesTheSessionAndTheNextScriptStartsANewOne() throws Exception {
        try (HostConnection connection = connect()) {
            PhaseScript stuck = new PhaseScript(host.dir().toString()).margin(Duration.ZERO);
            stuck.add("sleep 3", PhaseScript.OnFailure.STOP, Duration.ofSeconds(1));
            assertThrows(
                    TransportException.CommandTimedOut.class,
                    () -> ScriptRun.run(connection, stuck, Map.of(), Map.of(), sink()));
            PhaseScript next = new PhaseScript(host.dir().toString());
            next.add("echo after", PhaseScript.OnFailure.STOP, Duration.ofSeconds(5));
            // The stuck script still holds the root's lock until its sleep ends; the new session waits for it.
            assertThat(ScriptRun.run(connection, next, Map.of(), Map.of(), sink()))
                    .isZero();
            assertThat(output).contains("after");
        }
    }

    private HostConnection connect() throws TransportException {
        return new SshConnector(Duration.ofSeconds(5))
                .connect(
                        host.definitionHost(SECRET, host.dir().toString(), List.of("app"))
                                .endpoint(),
                        TestKeys.deployKey().asSecret(SECRET));
    }

    private OutputSink sink() {
        return (stream, line) -> {
            if (stream == OutputSink.Stream.STDOUT) {
                output.add(line);
            }
        };
    }
}
