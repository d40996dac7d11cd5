package org.cnx.conveyor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.cnx.conveyor.environment.definition.DefinitionParser;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.junit.jupiter.api.Test;

class RecipeEnvironmentTest {

    private final EnvironmentDefinition definition = new DefinitionParser()
            .parse("environments/prod.yml", """
                    name: prod
                    kind: shared
                    stage: dev
                    root: /srv/conveyor
                    hosts:
                      - name: prod07
                        address: 10.0.0.7
                        user: deploy
                        roles: [archive]
                        knownHosts: /etc/conveyor/known_hosts
                        key: ${secret:prod-ssh-key}
                        variables:
                          DB_HOST: prod09.cnx.org
                          WORKERS: 8
                          DB_PASSWORD: ${secret:prod-db-password}
                    components:
                      archive:
                        start: ./start.sh
                        stop: ./stop.sh
                        env:
                          WORKERS: 2
                    variables:
                      DB_HOST: localhost
                      SITE: cnx.org
                    """)
            .definition()
            .orElseThrow();

    @Test
    void aHostsVariablesOverrideTheEnvironmentsAndAComponentsEnvOverridesThem() {
        var env = RecipeEnvironment.of(
                definition,
                definition.hosts().get(0),
                definition.components().get("archive"),
                new HostLayout("/srv/conveyor"),
                "12",
                "4.15.23",
                value -> value.replace("${secret:prod-db-password}", "resolved"));
        assertThat(env)
                .contains(
                        entry("SITE", "cnx.org"),
                        entry("DB_HOST", "prod09.cnx.org"),
                        entry("DB_PASSWORD", "resolved"),
                        entry("WORKERS", "2"));
    }
}
