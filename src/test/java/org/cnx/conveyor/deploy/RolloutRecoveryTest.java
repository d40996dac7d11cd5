package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnx.conveyor.environment.definition.DefinitionParser;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.ParseResult;
import org.cnx.conveyor.job.JobStatus;
import org.cnx.conveyor.job.JobStep.State;
import org.cnx.conveyor.job.Phase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout whose Conveyor died between batches is put back from its journal: last batch first, each host drained,
 * restored and enabled again, a host drained but never switched only enabled, later batches untouched; and a site left
 * in maintenance mode is taken out of it. Real steps on local folders, journal in memory.
 */
class RolloutRecoveryTest {

    @TempDir
    Path dir;

    private Path events;
    private EnvironmentDefinition definition;
    private final LocalDeploys deploys = new LocalDeploys("web");

    @BeforeEach
    void defineThreeHostsBehindAHook() throws IOException {
        events = dir.resolve("events.log");
        Files.createFile(events);
        StringBuilder yaml = new StringBuilder("name: recovering\nkind: shared\nstage: live\nhosts:\n");
        for (String host : new String[] {"h1", "h2", "h3"}) {
            yaml.append(
                    "  - {name: %s, transport: local, roles: [web], root: %s}\n".formatted(host, dir.resolve(host)));
        }
        yaml.append("""
                components:
                  web:
                    start: echo "$CONVEYOR_HOST start $CONVEYOR_RELEASE" >> %1$s
                    stop: echo "$CONVEYOR_HOST stop $CONVEYOR_RELEASE" >> %1$s
                rollout:
                  batchSize: 1
                  loadBalancer:
                    drain: echo "$CONVEYOR_HOST $CONVEYOR_LB_STATE" >> %1$s
                    enable: test ! -f %2$s && echo "$CONVEYOR_HOST $CONVEYOR_LB_STATE" >> %1$s
                    servers:
                      h1: {web: site/h1}
                      h2: {web: site/h2}
                      h3: {web: site/h3}
                  maintenance:
                    enter: echo "maintenance $CONVEYOR_MAINTENANCE" >> %1$s
                    leave: echo "maintenance $CONVEYOR_MAINTENANCE" >> %1$s
                """.formatted(events, dir.resolve("lb-down")));
        ParseResult parsed = new DefinitionParser().parse("recovering.yml", yaml.toString());
        assertThat(parsed.problems()).isEmpty();
        definition = parsed.definition().orElseThrow();
        for (String host : new String[] {"h1", "h2", "h3"}) {
            Files.createDirectories(dir.resolve(host).resolve("web/releases/1"));
            Files.createDirectories(dir.resolve(host).resolve("web/releases/2"));
            Files.createDirectories(dir.resolve(host).resolve("web/shared"));
            Files.createSymbolicLink(dir.resolve(host).resolve("web/current"), Path.of("releases", "1"));
        }
    }

    @Test
    void batchesAreRestoredLastFirstWithDrainAndEnableAndTheUnstartedBatchIsNotTouched() throws IOException {
        repoint("h1", "2");
        MemoryJob job = new MemoryJob(2, 1L)
                .journaled(Phase.SWITCH, "rollout", "batch 1/3", "batch", "h1", State.DONE)
                .journaled(Phase.SWITCH, "h1", "web", "drain", "site/h1", State.DONE)
                .journaled(Phase.SWITCH, "h1", "web", "switch", "releases/1", State.DONE)
                .journaled(Phase.VERIFY, "h1", "web", "ready", "site/h1", State.DONE)
                .journaled(Phase.SWITCH, "rollout", "batch 2/3", "batch", "h2", State.STARTED)
                .journaled(Phase.SWITCH, "h2", "web", "drain", "site/h2", State.DONE);

        deploys.recover(definition, job, 2);

        assertThat(job.row().status()).isEqualTo(JobStatus.ROLLED_BACK);
        assertThat(Files.readAllLines(events))
                .containsExactly("h2 ready", "h1 drain", "h1 stop 2", "h1 start 1", "h1 ready");
        assertThat(Files.readSymbolicLink(dir.resolve("h1/web/current"))).hasToString("releases/1");
        assertThat(Files.readSymbolicLink(dir.resolve("h3/web/current"))).hasToString("releases/1");
    }

    @Test
    void aSiteLeftInMaintenanceModeIsTakenOutOfItAfterTheRollback() throws IOException {
        repoint("h1", "2");
        repoint("h2", "2");
        MemoryJob job = new MemoryJob(2, 1L)
                .journaled(Phase.MIGRATE, "rollout", "maintenance", "maintenance", "on", State.DONE)
                .journaled(Phase.SWITCH, "h1", "web", "switch", "releases/1", State.DONE)
                .journaled(Phase.SWITCH, "h2", "web", "switch", "releases/1", State.STARTED);

        deploys.notes = Target.MAINTENANCE_FLAG;
        deploys.recover(definition, job, 2);

        assertThat(job.row().status()).isEqualTo(JobStatus.ROLLED_BACK);
        assertThat(Files.readAllLines(events)).endsWith("maintenance leave");
        assertThat(Files.readAllLines(events)).doesNotContain("h1 drain", "h2 drain");
        assertThat(Files.readSymbolicLink(dir.resolve("h2/web/current"))).hasToString("releases/1");
    }

    @Test
    void aLoadBalancerThatCannotEnableAHostAgainLeavesTheEnvironmentDegraded() throws IOException {
        repoint("h1", "2");
        Files.createFile(dir.resolve("lb-down"));
        MemoryJob job = new MemoryJob(2, 1L)
                .journaled(Phase.SWITCH, "h1", "web", "drain", "site/h1", State.DONE)
                .journaled(Phase.SWITCH, "h1", "web", "switch", "releases/1", State.DONE);

        deploys.recover(definition, job, 2);

        assertThat(job.row().status()).isEqualTo(JobStatus.DEGRADED);
        assertThat(job.row().error)
                .contains("rollback incomplete on h1")
                .contains("restored to the previous release, but still out of the load balancer");
        assertThat(job.logLines())
                .anyMatch(line -> line.contains("h1: restored to the previous release, but still out of the load"));
        assertThat(Files.readSymbolicLink(dir.resolve("h1/web/current")))
                .as("the host itself was put back before the load balancer refused it")
                .hasToString("releases/1");
    }

    private void repoint(String host, String release) throws IOException {
        Path current = dir.resolve(host).resolve("web/current");
        Files.delete(current);
        Files.createSymbolicLink(current, Path.of("releases", release));
    }
}
