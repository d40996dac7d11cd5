package org.cnx.conveyor.environment.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules that involve more than one key: roots, demo links and where secrets may appear. */
class MoreBadDefinitionTest {

    private static List<String> problems(String yaml) {
        return new DefinitionParser()
                .parse("environments/bad.yml", yaml).problems().stream()
                        .map(DefinitionProblem::toString)
                        .toList();
    }

    @Test
    void aRelativeRootIsRefusedForSshHosts() {
        assertThat(problems("""
                name: bad
                kind: shared
                stage: dev
                root: hosts/demo
                hosts:
                  - name: web1
                    address: web1.cnx.org
                    user: deploy
                    roles: [web]
                    knownHosts: /etc/conveyor/known_hosts
                    key: ${secret:bad-ssh-key}
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly("environments/bad.yml:4:7: root: expected an absolute path like /srv/conveyor "
                        + "(ssh hosts need one), found \"hosts/demo\"");
    }

    @Test
    void aDemoLinkMayOnlyUsePortsOfComponentsThatHaveOne() {
        assertThat(problems("""
                name: bad
                kind: shared
                stage: dev
                url: http://{{host:web}}:{{port:web}}/
                hosts:
                  - name: local
                    transport: local
                    roles: [web]
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly("environments/bad.yml:4:6: url: expected {{port:COMPONENT}} to name a "
                        + "component with a port, found \"{{port:web}}\"");
    }

    @Test
    void aSecretInACommandIsRefusedBecauseItWouldNotBeSubstituted() {
        assertThat(problems("""
                name: bad
                kind: shared
                stage: dev
                hosts:
                  - name: local
                    transport: local
                    roles: [web]
                components:
                  web:
                    start: ./start.sh ${secret:bad-token}
                    stop: ./stop.sh
                """))
                .containsExactly("environments/bad.yml:10:12: components.web.start: expected a shell command "
                        + "without secret references (allowed only in env, variables, database and hosts[].key), "
                        + "found a secret reference");
    }

    @Test
    void twoComponentsOnOneHostCannotShareAPort() {
        assertThat(problems("""
                name: bad
                kind: shared
                stage: dev
                hosts:
                  - name: local
                    transport: local
                    roles: [a, b]
                components:
                  a:
                    port: 8080
                    start: ./start.sh
                    stop: ./stop.sh
                  b:
                    port: 8080
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly("environments/bad.yml:14:11: components.b.port: expected a port not used by "
                        + "component a on host local, found 8080");
    }

    @Test
    void anEmbeddedDatabaseNeverNamesOneOfPostgresOwn() {
        assertThat(problems("""
                name: bad
                kind: shared
                stage: dev
                hosts:
                  - name: local
                    transport: local
                    roles: [web]
                database:
                  embedded: template1
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly(
                        "environments/bad.yml:9:13: database.embedded: expected a database of the environment's "
                                + "own, not one of PostgreSQL's (postgres, template0, template1), found \"template1\"");
    }
}
