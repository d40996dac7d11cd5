package org.cnx.conveyor.environment.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cnx.conveyor.environment.definition.DefinitionParser;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Kind;
import org.cnx.conveyor.environment.definition.ParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryImporterTest {

    private static final Path CNX_PROD = Path.of("src/test/resources/inventories/cnx-prod");

    private final ImportResult result =
            new InventoryImporter().importDirectory(CNX_PROD, "prod", Kind.PRODUCTION, "production");

    private EnvironmentDefinition definition() {
        ParseResult parsed = new DefinitionParser().parse("environments/prod.yml", result.definitionYaml());
        assertThat(parsed.problems()).isEmpty();
        return parsed.definition().orElseThrow();
    }

    @Test
    void theImportedDefinitionParsesWithoutProblems() {
        assertThat(result.environmentName()).isEqualTo("prod");
        assertThat(definition().kind()).isEqualTo(Kind.PRODUCTION);
        assertThat(definition().stage()).isEqualTo("production");
    }

    @Test
    void everyInventoryHostBecomesAnSshHostWithItsConnectionSettings() {
        assertThat(definition().hosts())
                .extracting(
                        Host::name,
                        host -> host.address().orElseThrow(),
                        Host::port,
                        host -> host.user().orElseThrow())
                .containsExactly(
                        tuple("prod00-cnx-org", "10.0.0.10", 2222, "postgres"),
                        tuple("prod01-cnx-org", "10.0.0.11", 22, "cnx"),
                        tuple("prod02-cnx-org", "10.0.0.12", 22, "cnx"),
                        tuple("prod03-cnx-org", "10.0.0.13", 22, "www"),
                        tuple("prod04-cnx-org", "10.0.0.14", 2200, "cnx"));
        assertThat(definition().hosts()).allSatisfy(host -> {
            assertThat(host.knownHosts()).contains("/etc/conveyor/known_hosts");
            assertThat(host.hostKey()).isEmpty();
            assertThat(host.key()).contains("${secret:prod-ssh-key}");
        });
    }

    @Test
    void rolesIncludeGroupsReachedThroughChildrenGroups() {
        assertThat(definition().hosts())
                .extracting(Host::roles)
                .containsExactly(
                        List.of("database"),
                        List.of("archive", "publishing", "backend"),
                        List.of("archive", "backend"),
                        List.of("frontend"),
                        List.of("broker"));
    }

    @Test
    void eachGroupWithHostsBecomesAComponentWithAPlaceholderRecipe() {
        assertThat(definition().components())
                .containsOnlyKeys("database", "archive", "publishing", "frontend", "broker", "backend");
        assertThat(definition().components().get("archive").start()).isEqualTo("./start.sh");
        assertThat(definition().hostsFor(definition().components().get("archive")))
                .extracting(Host::name)
                .containsExactly("prod01-cnx-org", "prod02-cnx-org");
    }

    @Test
    void groupVariablesAreFlattenedAndSecretsReplacedByReferences() {
        assertThat(definition().variables())
                .containsExactly(
                        entry("SITE_NAME", "cnx.org"),
                        entry("LOG_LEVEL", "warning"),
                        entry("ARCHIVE_DB_NAME", "cnxarchive"),
                        entry("ARCHIVE_WORKERS", "4"),
                        entry("ALLOWED_HOSTS", "cnx.org,www.cnx.org"),
                        entry("DB_PASSWORD", "${secret:prod-db-password}"),
                        entry("SECRET_KEY", "${secret:prod-secret-key}"),
                        entry("GITHUB_TOKEN", "${secret:prod-github-token}"),
                        entry("ENABLE_EXERCISES", "true"));
        assertThat(result.definitionYaml()).doesNotContain("s3cr3t", "abcdef0123456789", "ghp_");
        assertThat(result.warnings())
                .containsExactly(
                        "variable DB_PASSWORD looks like a secret; its value is not in the definition but in secret prod-db-password",
                        "variable SECRET_KEY looks like a secret; its value is not in the definition but in secret prod-secret-key",
                        "variable GITHUB_TOKEN looks like a secret; its value is not in the definition but in secret prod-github-token",
                        "component backend comes from a group of groups (archive, publishing); remove it if nothing"
                                + " is deployed as backend itself");
        assertThat(result.secretValues())
                .containsExactly(
                        entry("prod-db-password", "s3cr3t-from-vault"),
                        entry("prod-secret-key", "abcdef0123456789"),
                        entry("prod-github-token", "ghp_notarealtoken"));
        assertThat(result.toString()).doesNotContain("s3cr3t");
        assertThat(definition().secretNames())
                .containsExactly("prod-ssh-key", "prod-db-password", "prod-secret-key", "prod-github-token");
    }

    @Test
    void everyCredentialLikeNameBecomesASecretReferenceAndOnlyThose() {
        ImportResult names = new InventoryImporter()
                .importDirectory(Path.of("src/test/resources/inventories/secret-names"), "names", Kind.SHARED, "dev");
        EnvironmentDefinition parsed = new DefinitionParser()
                .parse("environments/names.yml", names.definitionYaml())
                .definition()
                .orElseThrow();
        assertThat(parsed.variables()).containsEntry("DB_HOST", "db.example.org");
        parsed.variables()
                .forEach((name, value) ->
                        assertThat(value).as(name).startsWith(name.equals("DB_HOST") ? "db." : "${secret:names-"));
        assertThat(parsed.variables())
                .containsKeys(
                        "DB_PASS",
                        "SMTP_PW",
                        "LDAP_BIND_PWD",
                        "AWS_ACCESS_ID",
                        "TLS_PEM",
                        "CLIENT_CERT",
                        "SERVICE_CREDENTIALS",
                        "VAULT_SENTRY_DSN",
                        "API_KEY",
                        "SESSION_SECRET",
                        "OAUTH_TOKEN",
                        "MAIL_PASSWORD");
        assertThat(names.definitionYaml()).doesNotContain("value-of");
        assertThat(names.secretValues())
                .containsEntry("names-db-pass", "value-of-db-pass")
                .containsEntry("names-vault-sentry-dsn", "value-of-vault-sentry-dsn")
                .containsEntry("names-oauth-token", "value-of-oauth-token")
                .hasSize(12);
    }

    @Test
    void versionPinsBecomeComponentVersionsAsWritten() {
        assertThat(result.componentVersions())
                .containsExactly(
                        entry("archive", "4.15.23"),
                        entry("webview", "2.3.0"),
                        entry("publishing", "0.14.1"),
                        entry("cnx-db", "3.2.0"),
                        entry("press", "1.10"));
    }

    @Test
    void aMissingInventoryFileIsReported(@TempDir Path dir) {
        assertThatThrownBy(() -> new InventoryImporter().importDirectory(dir, "prod", Kind.PRODUCTION, "production"))
                .isInstanceOf(InventoryImportException.class)
                .hasMessageStartingWith("inventory: missing inventory file in ");
    }

    @Test
    void anUnknownChildrenGroupIsReportedWithItsLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("inventory"), """
                [archive]
                prod01.cnx.org

                [backend:children]
                archive
                publishing
                """);
        assertThatThrownBy(() -> new InventoryImporter().importDirectory(dir, "prod", Kind.PRODUCTION, "production"))
                .isInstanceOfSatisfying(InventoryImportException.class, e -> {
                    assertThat(e.file()).isEqualTo("inventory");
                    assertThat(e.line()).isEqualTo(6);
                })
                .hasMessage("inventory:6: unknown children group publishing in [backend:children]");
    }

    @Test
    void badYamlInGroupVariablesIsReportedWithFileAndLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("inventory"), "[archive]\nprod01.cnx.org\n");
        Files.createDirectories(dir.resolve("group_vars/all"));
        Files.writeString(dir.resolve("group_vars/all/main.yml"), "site_name: cnx.org\n  bad: indent\n");
        assertThatThrownBy(() -> new InventoryImporter().importDirectory(dir, "prod", Kind.PRODUCTION, "production"))
                .isInstanceOf(InventoryImportException.class)
                .hasMessage("group_vars/all/main.yml:2: invalid YAML: mapping values are not allowed here");
    }
}
