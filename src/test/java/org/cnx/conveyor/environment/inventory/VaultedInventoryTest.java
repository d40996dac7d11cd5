package org.cnx.conveyor.environment.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnx.conveyor.environment.definition.DefinitionParser;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Kind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An inventory whose group and host variables are encrypted by the real {@code ansible-vault}. */
class VaultedInventoryTest {

    private static final String PASSWORD = AnsibleVaultTest.PASSWORD;

    @TempDir
    Path dir;

    @TempDir
    Path work;

    @BeforeEach
    void inventory() throws Exception {
        Files.writeString(dir.resolve("inventory"), "[web]\nweb1.cnx.org\n");
        Path all = Files.createDirectories(dir.resolve("group_vars/all"));
        Files.writeString(all.resolve("vars.yml"), "db_name: repository\ndb_password: \"{{ vault_db_password }}\"\n");
        vault(all.resolve("vault.yml"), "vault_db_password: s3cr3t-from-vault\nsentry_dsn: https://k@sentry.example\n");
        Files.createDirectories(dir.resolve("host_vars"));
        vault(dir.resolve("host_vars/web1.cnx.org"), "ansible_host: 10.1.2.3\narchive_db_host: db7.internal\n");
    }

    private void vault(Path file, String plain) throws IOException, InterruptedException {
        Files.writeString(file, AnsibleVaultTest.encrypt(work, plain, PASSWORD, null));
    }

    private ImportResult importIt(String password) {
        return new InventoryImporter().importDirectory(dir, "vaulted", Kind.SHARED, "dev", password);
    }

    @Test
    void withThePasswordEveryVaultedVariableBecomesASecret() {
        ImportResult result = importIt(PASSWORD);
        assertThat(result.secretValues())
                .containsEntry("vaulted-vault-db-password", "s3cr3t-from-vault")
                .containsEntry("vaulted-sentry-dsn", "https://k@sentry.example");
        assertThat(result.definitionYaml())
                .doesNotContain("s3cr3t-from-vault")
                .doesNotContain("sentry.example")
                .contains("${secret:vaulted-sentry-dsn}")
                .contains("repository");
    }

    @Test
    void withThePasswordAVaultedHostVariablesFileIsRead() {
        var definition = new DefinitionParser()
                .parse("environments/vaulted.yml", importIt(PASSWORD).definitionYaml())
                .definition()
                .orElseThrow();
        assertThat(definition.hosts())
                .extracting(host -> host.address().orElseThrow())
                .containsExactly("10.1.2.3");
    }

    @Test
    void aVaultedHostVariableBecomesASecretWhateverItsName() {
        ImportResult result = importIt(PASSWORD);
        assertThat(result.definitionYaml()).doesNotContain("db7.internal");
        assertThat(result.secretValues()).containsValue("db7.internal");
    }

    @Test
    void withoutThePasswordVaultFilesAreSkippedWithTheNamesToCreate() {
        ImportResult result = importIt(null);
        assertThat(result.warnings())
                .anySatisfy(warning -> assertThat(warning)
                        .startsWith("group_vars/all/vault.yml is encrypted with Ansible Vault and no vaultPassword")
                        .contains("skipped")
                        .contains("vault_db_password"))
                .anySatisfy(warning -> assertThat(warning).startsWith("host_vars/web1.cnx.org is encrypted"));
        assertThat(result.secretValues()).doesNotContainKey("vaulted-vault-db-password");
        assertThat(result.definitionYaml()).doesNotContain("ANSIBLE_VAULT");
    }

    @Test
    void aWrongPasswordIsAnImportProblemNamingTheFile() {
        assertThatThrownBy(() -> importIt("not the password"))
                .isInstanceOf(InventoryImportException.class)
                // Both vault files are encrypted with the password; the first one read is named.
                .hasMessageMatching(
                        "(host_vars/web1\\.cnx\\.org|group_vars/all/vault\\.yml): cannot decrypt the vault: "
                                + "wrong vault password.*")
                .hasMessageNotContaining("not the password");
    }

    @Test
    void aTamperedVaultIsAnImportProblemNamingTheFile() throws IOException {
        Path vault = dir.resolve("group_vars/all/vault.yml");
        String text = Files.readString(vault);
        Files.writeString(vault, text.substring(0, text.length() - 3) + "zz\n");
        assertThatThrownBy(() -> importIt(PASSWORD))
                .isInstanceOf(InventoryImportException.class)
                .hasMessageContaining("group_vars/all/vault.yml: cannot decrypt the vault: damaged Ansible Vault file");
    }
}
