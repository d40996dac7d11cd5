package org.cnx.conveyor.environment.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each bad file reports exactly the problems a user would need to fix it, at the right line and column. */
class BadDefinitionTest {

    private static List<String> problems(String yaml) {
        ParseResult result = new DefinitionParser().parse("environments/bad.yml", yaml);
        assertThat(result.definition()).isEmpty();
        return result.problems().stream().map(DefinitionProblem::toString).toList();
    }

    @Test
    void aPortThatIsNotANumberIsReportedAtItsValue() {
        assertThat(problems("""
                name: bad
                kind: shared
                stage: dev
                hosts:
                  - name: web1
                    address: 10.0.0.5
                    user: deploy
                    port: abc
                    roles: [web]
                    knownHosts: /etc/conveyor/known_hosts
                    key: ${secret:bad-ssh-key}
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly(
                        "environments/bad.yml:8:11: hosts[0].port: expected an integer 1-65535, found \"abc\"");
    }

    @Test
    void aPersonalEnvironmentWithAPlainLocalHostIsRefusedAtItsTransport() {
        assertThat(problems("""
                name: bad
                kind: personal
                stage: dev
                root: hosts/bad
                hosts:
                  - name: local
                    transport: local
                    roles: [web]
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly("environments/bad.yml:7:16: hosts[0].transport: expected sandbox or ssh for a "
                        + "personal environment (developers deploy it; a local host would run their code as Conveyor's own user), "
                        + "found \"local\"");
    }

    @Test
    void aSandboxHostNeedsARootOfItsOwnUnderTheDataDir() {
        assertThat(problems("""
                name: bad
                kind: shared
                stage: dev
                hosts:
                  - name: local
                    transport: sandbox
                    roles: [web]
                    root: /etc
                  - name: other
                    transport: sandbox
                    roles: [web]
                    root: hosts/../master.key
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly(
                        "environments/bad.yml:8:11: hosts[0].root: expected a root like hosts/<environment> (a folder of its own "
                                + "under Conveyor's data dir) for a sandbox host, found \"/etc\"",
                        "environments/bad.yml:12:11: hosts[1].root: expected an absolute path like /srv/conveyor or a relative "
                                + "folder like hosts/demo, found \"hosts/../master.key\"");
    }

    @Test
    void aPortOutOfRangeShowsTheNumberUnquoted() {
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
                    port: 70000
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly(
                        "environments/bad.yml:10:11: components.web.port: expected an integer 1-65535, found 70000");
    }

    @Test
    void aMistypedKeyIsUnknownAndListsTheKeysThatAreAllowed() {
        assertThat(problems("""
                name: bad
                kind: shared
                stage: dev
                descripton: Typo
                hosts:
                  - name: local
                    transport: local
                    roles: [web]
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly("environments/bad.yml:4:1: descripton: unknown key, expected one of name, "
                        + "kind, stage, description, protection, url, ttl, root, keepReleases, hosts, components, database, "
                        + "variables, rollout, runbooks, snapshots");
    }

    @Test
    void aMissingRequiredKeyIsReportedAtItsMapping() {
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
                    start: ./start.sh
                """))
                .containsExactly(
                        "environments/bad.yml:10:5: components.web.stop: required key missing, expected a shell command");
    }

    @Test
    void anUnknownKindListsTheAllowedKinds() {
        assertThat(problems("""
                name: bad
                kind: staging
                stage: dev
                hosts:
                  - name: local
                    transport: local
                    roles: [web]
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly("environments/bad.yml:2:7: kind: expected one of personal, preview, shared, "
                        + "production, found \"staging\"");
    }

    @Test
    void aNameBreakingThePatternShowsThePattern() {
        assertThat(problems("""
                name: Bad_Name
                kind: shared
                stage: dev
                hosts:
                  - name: local
                    transport: local
                    roles: [web]
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly("environments/bad.yml:1:7: name: expected an environment name matching "
                        + "^[a-z][a-z0-9-]{0,62}$, found \"Bad_Name\"");
    }

    @Test
    void aNameDifferentFromTheFileNameIsRefused() {
        assertThat(problems("""
                name: staging
                kind: shared
                stage: dev
                hosts:
                  - name: local
                    transport: local
                    roles: [web]
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly("environments/bad.yml:1:7: name: expected \"bad\" (the file name without "
                        + ".yml), found \"staging\"");
    }

    @Test
    void aSecondHostWithTheSameNamePointsBackToTheFirst() {
        assertThat(problems("""
                name: bad
                kind: shared
                stage: dev
                hosts:
                  - name: local
                    transport: local
                    roles: [web]
                  - name: local
                    transport: local
                    roles: [db]
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly("environments/bad.yml:8:11: hosts[1].name: expected a unique host name, "
                        + "found \"local\" again (first at line 5)");
    }

    @Test
    void aComponentWhoseRoleNoHostHasIsRefused() {
        assertThat(problems("""
                name: bad
                kind: shared
                stage: dev
                hosts:
                  - name: local
                    transport: local
                    roles: [web, db]
                components:
                  web:
                    role: wbe
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly("environments/bad.yml:10:11: components.web.role: expected a role that "
                        + "some host has (web, db), found \"wbe\"");
    }

    @Test
    void aTtlIsOnlyAllowedForPersonalAndPreviewEnvironments() {
        assertThat(problems("""
                name: bad
                kind: shared
                stage: dev
                ttl: 72h
                hosts:
                  - name: local
                    transport: local
                    roles: [web]
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly("environments/bad.yml:4:6: ttl: expected no ttl for a shared environment "
                        + "(only personal and preview environments expire), found \"72h\"");
    }

    @Test
    void aPlainPasswordIsRefusedWithoutBeingEchoed() {
        List<String> problems = problems("""
                name: bad
                kind: shared
                stage: dev
                hosts:
                  - name: local
                    transport: local
                    roles: [web]
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                database:
                  url: jdbc:postgresql://db.internal:5432/cnx
                  user: cnx
                  password: hunter2-very-secret
                """);
        assertThat(problems)
                .containsExactly("environments/bad.yml:15:13: database.password: expected a secret "
                        + "reference like ${secret:NAME}, found a plain value");
        assertThat(String.join("\n", problems)).doesNotContain("hunter2");
    }

    @Test
    void aMalformedSecretReferenceIsReportedWithItsPath() {
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
                    start: ./start.sh
                    stop: ./stop.sh
                variables:
                  GOOD: ${secret:bad-token}
                  BROKEN: prefix-${secret:Bad Name}
                  TYPO: ${secrets:x}
                """))
                .containsExactly(
                        "environments/bad.yml:14:11: variables.BROKEN: expected a secret reference like ${secret:NAME} "
                                + "with NAME matching [a-z0-9][a-z0-9._-]{0,62}, found \"${secret:Bad Name}\"",
                        "environments/bad.yml:15:9: variables.TYPO: expected a secret reference like ${secret:NAME} "
                                + "with NAME matching [a-z0-9][a-z0-9._-]{0,62}, found \"${secrets:x}\"");
    }

    @Test
    void aDurationInWordsIsRefused() {
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
                    start: ./start.sh
                    stop: ./stop.sh
                    health:
                      command: ./check.sh
                      timeout: 5 minutes
                """))
                .containsExactly("environments/bad.yml:14:16: components.web.health.timeout: expected a "
                        + "positive duration like 30s, 5m, 72h or 7d, found \"5 minutes\"");
    }

    @Test
    void aHealthCheckWithBothHttpAndCommandIsRefused() {
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
                    start: ./start.sh
                    stop: ./stop.sh
                    health:
                      http: http://127.0.0.1:8080/health
                      command: ./check.sh
                """))
                .containsExactly("environments/bad.yml:13:7: components.web.health: expected exactly one of "
                        + "http or command, found both");
    }

    @Test
    void aYamlSyntaxErrorIsReportedWhereTheParserStopped() {
        assertThat(problems("""
                name: bad
                kind: shared
                  stage: dev
                """))
                .containsExactly("environments/bad.yml:3:8: (yaml): invalid YAML: mapping values are not allowed here");
    }

    @Test
    void anEmptyFileIsAnError() {
        assertThat(problems("# nothing yet\n"))
                .containsExactly(
                        "environments/bad.yml:1:1: (file): expected a mapping of environment settings, found an empty file");
    }

    @Test
    void aDuplicateKeyPointsBackToTheFirst() {
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
                    start: ./start.sh
                    stop: ./stop.sh
                    start: ./other.sh
                """))
                .containsExactly(
                        "environments/bad.yml:12:5: components.web.start: duplicate key, first defined at line 10");
    }

    @Test
    void aListWhereAMappingIsExpectedSaysWhatWasFound() {
        assertThat(problems("""
                name: bad
                kind: shared
                stage: dev
                hosts:
                  - name: local
                    transport: local
                    roles: [web]
                components: [web]
                """))
                .containsExactly("environments/bad.yml:8:13: components: expected a non-empty mapping of "
                        + "component names to recipes, found a list");
    }

    @Test
    void anSshHostMustPinItsHostKey() {
        assertThat(problems("""
                name: bad
                kind: shared
                stage: dev
                hosts:
                  - name: web1
                    address: web1.cnx.org
                    user: deploy
                    roles: [web]
                    key: ${secret:bad-ssh-key}
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly("environments/bad.yml:5:5: hosts[0]: expected hostKey or knownHosts to "
                        + "verify an ssh host, found neither");
    }

    @Test
    void aDatabaseNeedsExactlyOneWayToReachIt() {
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
                    start: ./start.sh
                    stop: ./stop.sh
                database:
                  user: cnx
                  password: ${secret:bad-db-password}
                """))
                .containsExactly(
                        "environments/bad.yml:13:3: database: expected exactly one of url, via or embedded, found none");
    }

    @Test
    void anEmbeddedDatabaseTakesNoCredentialsAndASafeName() {
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
                    start: ./start.sh
                    stop: ./stop.sh
                database:
                  embedded: Cnx-Demo
                  user: cnx
                """))
                .containsExactly(
                        "environments/bad.yml:13:13: database.embedded: expected a database name matching ^[a-z][a-z0-9_]{0,62}$, found \"Cnx-Demo\"",
                        "environments/bad.yml:14:3: database.user: unexpected key, user is not used with embedded"
                                + " (Conveyor connects to its own server with its own credentials)");
    }

    @Test
    void aDatabaseViaAnUnknownHostListsTheSshHosts() {
        assertThat(problems("""
                name: bad
                kind: shared
                stage: dev
                hosts:
                  - name: db1
                    address: 10.0.0.4
                    user: deploy
                    roles: [web]
                    knownHosts: /etc/conveyor/known_hosts
                    key: ${secret:bad-ssh-key}
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                database:
                  via: db9
                  name: cnxarchive
                  user: cnx
                  password: ${secret:bad-db-password}
                """))
                .containsExactly("environments/bad.yml:16:8: database.via: expected the name of an ssh host "
                        + "(db1), found \"db9\"");
    }

    @Test
    void everyProblemOfAFileIsReportedInDocumentOrder() {
        assertThat(problems("""
                name: bad
                kind: shared
                stage: Dev
                keepReleases: 0
                hosts:
                  - name: local
                    transport: local
                    address: 127.0.0.1
                    roles: []
                components:
                  web:
                    port: "80a"
                    start: ./start.sh
                    stop: ./stop.sh
                """))
                .containsExactly(
                        "environments/bad.yml:3:8: stage: expected a stage name matching ^[a-z][a-z0-9-]{0,31}$, "
                                + "found \"Dev\"",
                        "environments/bad.yml:4:15: keepReleases: expected an integer 1-100, found 0",
                        "environments/bad.yml:8:5: hosts[0].address: unexpected key, address is only for ssh hosts",
                        "environments/bad.yml:9:12: hosts[0].roles: expected a non-empty list of role names, "
                                + "found an empty list",
                        "environments/bad.yml:12:11: components.web.port: expected an integer 1-65535, found \"80a\"");
    }

    @Test
    void aSecretRunbookParameterCannotHaveADefaultInTheFile() {
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
                    start: ./start.sh
                    stop: ./stop.sh
                runbooks:
                  rotate:
                    roles: [web]
                    command: echo rotated
                    parameters:
                      KEY: {type: secret, default: hunter2hunter2}
                """))
                .containsExactly("environments/bad.yml:17:36: runbooks.rotate.parameters.KEY.default: no default for"
                        + " a secret parameter: whoever runs the runbook gives the value");
    }
}
