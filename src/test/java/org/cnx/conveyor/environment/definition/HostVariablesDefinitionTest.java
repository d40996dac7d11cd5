package org.cnx.conveyor.environment.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.junit.jupiter.api.Test;

/** A host may carry variables of its own, checked like the environment's. */
class HostVariablesDefinitionTest {

    private static ParseResult parse(String variables) {
        return new DefinitionParser().parse("environments/prod.yml", """
                name: prod
                kind: shared
                stage: dev
                hosts:
                  - name: prod07
                    address: 10.0.0.7
                    user: deploy
                    roles: [archive]
                    knownHosts: /etc/conveyor/known_hosts
                    key: ${secret:prod-ssh-key}
                    variables:
                """ + variables + """
                components:
                  archive:
                    start: ./start.sh
                    stop: ./stop.sh
                """);
    }

    @Test
    void aHostsVariablesAreReadWithNumbersAsWrittenAndSecretsNamed() {
        ParseResult result = parse("""
                      ARCHIVE_DB_HOST: prod09.cnx.org
                      ARCHIVE_COUNT: 8
                      DB_PASSWORD: ${secret:prod-prod07-db-password}
                """);
        assertThat(result.problems()).isEmpty();
        EnvironmentDefinition definition = result.definition().orElseThrow();
        Host host = definition.hosts().get(0);
        assertThat(host.variables())
                .containsExactly(
                        entry("ARCHIVE_DB_HOST", "prod09.cnx.org"),
                        entry("ARCHIVE_COUNT", "8"),
                        entry("DB_PASSWORD", "${secret:prod-prod07-db-password}"));
        assertThat(definition.secretNames()).contains("prod-prod07-db-password");
    }

    @Test
    void aBadNameAListOrABadSecretReferenceInAHostsVariablesIsReportedAtItsPlace() {
        assertThat(parse("""
                      bad-name: x
                      LIST: [a, b]
                      TYPO: ${secrets:x}
                """).problems().stream().map(DefinitionProblem::toString))
                .containsExactly(
                        "environments/prod.yml:12:7: hosts[0].variables.bad-name: expected a variable name matching"
                                + " ^[A-Za-z_][A-Za-z0-9_]*$, found \"bad-name\"",
                        "environments/prod.yml:13:13: hosts[0].variables.LIST: expected a string, found a list",
                        "environments/prod.yml:14:13: hosts[0].variables.TYPO: expected a secret reference like"
                                + " ${secret:NAME} with NAME matching [a-z0-9][a-z0-9._-]{0,62}, found \"${secrets:x}\"");
    }
}
