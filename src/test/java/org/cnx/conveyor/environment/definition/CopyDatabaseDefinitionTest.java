package org.cnx.conveyor.environment.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code copyDatabase} runbook action: where a copy may go, and what it takes. */
class CopyDatabaseDefinitionTest {

    private static List<String> problems(String kind, String database, String runbook) {
        String yaml = """
                name: qa
                kind: %s
                stage: dev
                hosts:
                  - name: app1
                    transport: ssh
                    address: 10.0.0.5
                    user: cnx
                    key: ${secret:qa-ssh-key}
                    hostKey: SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU
                    roles: [db]
                components:
                  db:
                    start: "true"
                    stop: "true"
                %sruns:
                """.formatted(kind, database).replace("runs:\n", "runbooks:\n  refresh:\n" + runbook);
        return new DefinitionParser()
                .parse("environments/qa.yml", yaml).problems().stream()
                        .map(Object::toString)
                        .toList();
    }

    private static final String DATABASE = """
            database:
              url: jdbc:postgresql://10.0.0.5:5432/cnxarchive
              user: cnx
              password: ${secret:qa-db-password}
            """;

    @Test
    void aCopyFromAnotherEnvironmentIntoOneWithADatabaseIsAccepted() {
        assertThat(problems("shared", DATABASE, "    copyDatabase: {from: staging}\n    role: lead\n"))
                .isEmpty();
    }

    @Test
    void aCopyNeverGoesIntoProduction() {
        assertThat(problems("production", DATABASE, "    copyDatabase: {from: staging}\n"))
                .singleElement()
                .asString()
                .endsWith("runbooks.refresh.copyDatabase: expected no copyDatabase in a production environment: a "
                        + "copy replaces the environment's data");
    }

    @Test
    void aCopyNeedsADatabaseToGoIntoAndAnotherEnvironmentToComeFrom() {
        assertThat(problems("shared", "", "    copyDatabase: {from: staging}\n"))
                .singleElement()
                .asString()
                .contains("expected a database (database: …) in an environment that copyDatabase restores into");
        assertThat(problems("shared", DATABASE, "    copyDatabase: {from: qa}\n"))
                .singleElement()
                .asString()
                .contains("expected another environment to copy from, found this one");
    }

    @Test
    void aCopyTakesNoCommandNoHostsAndNoParameters() {
        assertThat(problems(
                        "shared",
                        DATABASE,
                        "    copyDatabase: {from: staging}\n    command: psql -c 'DROP TABLE x'\n    roles: [db]\n"))
                .containsExactly(
                        "environments/qa.yml:23:14: runbooks.refresh.command: no command with copyDatabase: the copy "
                                + "runs on Conveyor itself",
                        "environments/qa.yml:24:12: runbooks.refresh.roles: no roles with copyDatabase: the copy runs "
                                + "on Conveyor itself");
    }
}
