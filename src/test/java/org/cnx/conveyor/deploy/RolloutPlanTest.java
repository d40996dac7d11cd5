package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.cnx.conveyor.environment.definition.DefinitionParser;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.migrate.MigrationViews.MigrationPlanView;
import org.junit.jupiter.api.Test;

/** The plan a lead approves says how the hosts will switch: each rollout batch, or maintenance mode first. */
class RolloutPlanTest {

    private static final String YAML = """
            name: live
            kind: shared
            stage: live
            hosts:
              - {name: lb, transport: local, roles: [lb]}
              - {name: web1, transport: local, roles: [web]}
              - {name: web2, transport: local, roles: [web]}
              - {name: web3, transport: local, roles: [web]}
            components:
              web:
                start: ./start.sh
                stop: ./stop.sh
            rollout:
              batchSize: 2
              loadBalancer:
                via: lb
                haproxy: /run/haproxy/admin.sock
                servers:
                  web1: {web: site/web1}
              canary:
                hosts: 1
                checks:
                  - http: https://cnx.org/
              maintenance:
                always: false
            """;

    private final LocalDeploys deploys = new LocalDeploys("web");

    @Test
    void thePlanListsEachBatchWithTheCanaryFirst() {
        assertThat(steps())
                .contains(
                        "rollout batch 1/2 (canary, analysed): web1 — drained, switched, verified, enabled",
                        "rollout batch 2/2: web2, web3 — drained, switched, verified, enabled");
    }

    @Test
    void aReleaseThatAsksForMaintenanceSaysSoFirstAndSwitchesAllAtOnce() {
        deploys.notes = "locks the modules table " + Target.MAINTENANCE_FLAG;
        List<String> steps = steps();
        assertThat(steps.get(0)).startsWith("maintenance: the load balancer serves the maintenance page");
        assertThat(steps).noneMatch(step -> step.startsWith("rollout batch"));
    }

    private List<String> steps() {
        EnvironmentDefinition definition =
                new DefinitionParser().parse("live.yml", YAML).definition().orElseThrow();
        MigrationPlanView noMigrations =
                new MigrationPlanView(null, null, List.of(), List.of(), List.of(), List.of(), List.of(), null, null);
        return DeployPlan.of(Target.of(definition, deploys.view(2)), 1L, Map.of(), noMigrations)
                .steps();
    }
}
