package org.cnx.conveyor.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Transport;
import org.cnx.conveyor.support.MinaSshHost;
import org.cnx.conveyor.support.TestKeys;
import org.junit.jupiter.api.Test;

class ConnectorsTest {

    private final Connectors connectors = new Connectors(
            new SshConfig() {
                @Override
                public Duration connectTimeout() {
                    return Duration.ofSeconds(5);
                }

                @Override
                public Duration keepAliveInterval() {
                    return Duration.ofSeconds(15);
                }
            },
            new SandboxConnector(
                    Path.of("target/connectors-test-data").toAbsolutePath(), 60500, 61183, List.of(), () -> 0));

    @Test
    void runsLocalHostsAsProcessesOnThisMachine() throws Exception {
        Host demo = new Host(
                "demo",
                Transport.LOCAL,
                Optional.empty(),
                0,
                Optional.empty(),
                List.of("app"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "hosts/demo");

        try (HostConnection connection = connectors.connect(demo.endpoint(), name -> Optional.empty())) {
            assertThat(connection).isInstanceOf(LocalConnection.class);
            assertThat(connection.host()).isEqualTo("demo");
        }
    }

    @Test
    void runsSandboxHostsInTheirSandbox() throws Exception {
        Host clone = new Host(
                "local",
                Transport.SANDBOX,
                Optional.empty(),
                0,
                Optional.empty(),
                List.of("app"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Path.of("target/connectors-test-data/hosts/dev-x")
                        .toAbsolutePath()
                        .toString());

        try (HostConnection connection = connectors.connect(clone.endpoint(), name -> Optional.empty())) {
            assertThat(connection).isInstanceOf(SandboxConnection.class);
            RecordingSink sink = new RecordingSink();
            assertThat(connection.exec("id -u", Duration.ofSeconds(10), sink)).isZero();
            assertThat(sink.texts(OutputSink.Stream.STDOUT))
                    .containsExactly(Integer.toString(((SandboxConnection) connection).uid()));
            connection.removeRoot(clone.root(), Duration.ofSeconds(10), OutputSink.DISCARD);
        }
    }

    @Test
    void reachesSshHostsOverSsh() throws Exception {
        try (MinaSshHost app = MinaSshHost.start("app1");
                HostConnection connection = connectors.connect(
                        (app.definitionHost("ssh-key", "/tmp", List.of("app"))).endpoint(),
                        TestKeys.deployKey().asSecret("ssh-key"))) {
            assertThat(connection).isInstanceOf(SshConnection.class);
            assertThat(connection.exec("true", Duration.ofSeconds(10), OutputSink.DISCARD))
                    .isZero();
        }
    }
}
