package org.cnx.conveyor.environment.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.cnx.conveyor.environment.definition.RolloutSpec.BatchSize;
import org.junit.jupiter.api.Test;

/** The {@code rollout} key: what it accepts, and each mistake reported at its line with what was expected. */
class RolloutDefinitionTest {

    private static final String BASE = """
            name: live
            kind: production
            stage: live
            hosts:
              - name: lb
                transport: local
                roles: [lb]
              - name: web1
                transport: local
                roles: [web]
              - name: web2
                transport: local
                roles: [web]
            components:
              web:
                start: ./start.sh
                stop: ./stop.sh
            rollout:
            """;

    private static ParseResult parse(String rollout) {
        return new DefinitionParser().parse("environments/live.yml", BASE + rollout.indent(2));
    }

    private static List<String> problems(String rollout) {
        return parse(rollout).problems().stream()
                .map(DefinitionProblem::toString)
                .toList();
    }

    @Test
    void withoutRolloutEveryHostSwitchesAtOnce() {
        ParseResult parsed = new DefinitionParser().parse("environments/live.yml", BASE.replace("rollout:\n", ""));
        assertThat(parsed.definition().orElseThrow().rollout()).isEqualTo(RolloutSpec.ALL_AT_ONCE);
        assertThat(RolloutSpec.ALL_AT_ONCE.isRolling()).isFalse();
    }

    @Test
    void aFullRolloutIsRead() {
        RolloutSpec spec = parse("""
                        batchSize: 50%
                        pause: 30s
                        loadBalancer:
                          via: lb
                          haproxy: 127.0.0.1:9999
                          timeout: 20s
                          servers:
                            web1: {web: site/web1}
                            web2: {web: site/web2}
                        canary:
                          hosts: 1
                          duration: 2m
                          interval: 20s
                          prometheus: http://127.0.0.1:9090
                          checks:
                            - http: https://cnx.org/
                            - query: sum(rate(errors[1m]))
                              max: 0.01
                        maintenance:
                          always: true
                        """).definition().orElseThrow().rollout();
        assertThat(spec.batchSize()).isEqualTo(new BatchSize(BatchSize.Unit.PERCENT, 50));
        assertThat(spec.pause()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.loadBalancer().orElseThrow().server("web2", "web")).contains("site/web2");
        assertThat(spec.loadBalancer().orElseThrow().via()).contains("lb");
        assertThat(spec.canary().orElseThrow().checks().get(1).max()).contains(0.01);
        assertThat(spec.maintenance().orElseThrow().always()).isTrue();
    }

    @Test
    void aBatchSizeMustBeACountAPercentageRoleOrAll() {
        assertThat(problems("batchSize: 0")).singleElement().asString().contains("rollout.batchSize: expected");
        assertThat(problems("batchSize: 150%")).singleElement().asString().contains("rollout.batchSize");
        assertThat(problems("batchSize: half")).singleElement().asString().contains("a percentage like 25%");
        assertThat(parse("batchSize: role").problems()).isEmpty();
    }

    @Test
    void aLoadBalancerNeedsHaproxyOrBothHooksAndKnownHostsAndComponents() {
        assertThat(problems("""
                        loadBalancer:
                          drain: ./drain.sh
                          servers:
                            web1: {web: site/web1}
                        """))
                .singleElement()
                .asString()
                .contains("expected either haproxy or both drain and enable");
        assertThat(problems("""
                        loadBalancer:
                          via: nowhere
                          haproxy: /run/haproxy/admin.sock
                          servers:
                            web9: {web: site/web9}
                            web1: {db: site/web1, web: "site web1"}
                        """))
                .containsExactly(
                        "environments/live.yml:20:10: rollout.loadBalancer.via: expected one of the hosts, found"
                                + " \"nowhere\"",
                        "environments/live.yml:23:7: rollout.loadBalancer.servers.web9: expected one of the hosts,"
                                + " found \"web9\"",
                        "environments/live.yml:24:14: rollout.loadBalancer.servers.web1.db: expected a component that"
                                + " runs on web1, found \"db\"",
                        "environments/live.yml:24:34: rollout.loadBalancer.servers.web1.web: expected backend/server"
                                + " as named in haproxy.cfg, like webview/web1, found \"site web1\"");
    }

    @Test
    void anHaproxyAddressIsASocketPathOrHostAndPortNeverShellText() {
        assertThat(problems("""
                        loadBalancer:
                          haproxy: "/run/x.sock; rm -rf /"
                        """))
                .singleElement()
                .asString()
                .contains("expected an admin socket path like /run/haproxy/admin.sock or host:port");
    }

    @Test
    void aCanaryQueryNeedsPrometheusAndABound() {
        assertThat(problems("""
                        canary:
                          checks:
                            - query: up
                        """))
                .anyMatch(p -> p.contains("a query check needs rollout.canary.prometheus"))
                .anyMatch(p -> p.contains("a query check needs min, max or both"));
        assertThat(problems("""
                        canary:
                          checks:
                            - http: https://cnx.org/
                              query: up
                        """)).singleElement().asString().contains("expected exactly one of http or query");
    }

    @Test
    void maintenanceNeedsHooksOrAnHaproxy() {
        assertThat(problems("""
                        maintenance:
                          always: true
                        """))
                .singleElement()
                .asString()
                .contains("expected enter and leave commands, or rollout.loadBalancer.haproxy");
        assertThat(parse("""
                        maintenance:
                          enter: ./maintenance.sh on
                          leave: ./maintenance.sh off
                        """).problems()).isEmpty();
    }

    @Test
    void anUnknownRolloutKeyIsReported() {
        assertThat(problems("batches: 2"))
                .singleElement()
                .asString()
                .contains("unknown key, expected one of batchSize");
    }
}
