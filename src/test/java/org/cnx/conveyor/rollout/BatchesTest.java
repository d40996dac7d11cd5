package org.cnx.conveyor.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Transport;
import org.cnx.conveyor.environment.definition.RolloutSpec;
import org.cnx.conveyor.environment.definition.RolloutSpec.BatchSize;
import org.cnx.conveyor.environment.definition.RolloutSpec.Canary;
import org.junit.jupiter.api.Test;

/** How hosts are split into batches: by count, percentage or role, with the canary first. */
class BatchesTest {

    private static final List<Host> HOSTS = List.of(
            host("app1", "archive"),
            host("app2", "archive"),
            host("web1", "webview"),
            host("web2", "webview"),
            host("web3", "webview"));
    private static final List<Component> COMPONENTS = List.of(component("webview"), component("archive"));

    @Test
    void aCountMakesBatchesOfThatManyHostsInFileOrder() {
        assertThat(names(spec(new BatchSize(BatchSize.Unit.HOSTS, 2), Optional.empty())))
                .containsExactly("app1 app2", "web1 web2", "web3");
    }

    @Test
    void aPercentageIsOfAllHostsRoundedUp() {
        assertThat(names(spec(new BatchSize(BatchSize.Unit.PERCENT, 25), Optional.empty())))
                .containsExactly("app1 app2", "web1 web2", "web3");
    }

    @Test
    void perRoleFollowsTheOrderOfTheComponents() {
        assertThat(names(spec(new BatchSize(BatchSize.Unit.ROLE, 0), Optional.empty())))
                .containsExactly("web1 web2 web3", "app1 app2");
    }

    @Test
    void theCanaryIsTheFirstBatchAndTheRestFollowInTheirSize() {
        Canary canary = new Canary(1, Duration.ofMinutes(1), Duration.ofSeconds(10), Optional.empty(), List.of());
        assertThat(names(spec(new BatchSize(BatchSize.Unit.HOSTS, 2), Optional.of(canary))))
                .containsExactly("app1", "app2 web1", "web2 web3");
    }

    private static RolloutSpec spec(BatchSize size, Optional<Canary> canary) {
        return new RolloutSpec(size, Duration.ZERO, Optional.empty(), canary, Optional.empty());
    }

    private static List<String> names(RolloutSpec spec) {
        return Batches.of(spec, HOSTS, COMPONENTS).stream()
                .map(batch -> String.join(" ", batch.stream().map(Host::name).toList()))
                .toList();
    }

    private static Host host(String name, String role) {
        return new Host(
                name,
                Transport.LOCAL,
                Optional.empty(),
                22,
                Optional.empty(),
                List.of(role),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "/srv");
    }

    private static Component component(String role) {
        return new Component(
                role,
                role,
                OptionalInt.empty(),
                Optional.empty(),
                "./start.sh",
                "./stop.sh",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                java.util.Map.of());
    }
}
