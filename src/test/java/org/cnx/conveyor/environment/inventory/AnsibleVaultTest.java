package org.cnx.conveyor.environment.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cnx.conveyor.environment.inventory.AnsibleVault.VaultException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vectors made by the real {@code ansible-vault}, so the format is Ansible's and not our reading of it. */
public class AnsibleVaultTest {

    public static final String PASSWORD = "correct horse battery staple";
    private static final String PLAIN = "vault_db_password: s3cr3t-ünïcode\nvault_api_token: abc123\n";

    @TempDir
    Path dir;

    /** Encrypts {@code plain} with {@code ansible-vault encrypt}, optionally under a vault id (format 1.2). */
    public static String encrypt(Path dir, String plain, String password, String vaultId)
            throws IOException, InterruptedException {
        Path passwordFile = Files.createTempFile(dir, "password", ".txt");
        Files.writeString(passwordFile, password + "\n");
        Path file = Files.createTempFile(dir, "vault", ".yml");
        Files.writeString(file, plain);
        List<String> command = new ArrayList<>(List.of("ansible-vault", "encrypt"));
        if (vaultId == null) {
            command.addAll(List.of("--vault-password-file", passwordFile.toString()));
        } else {
            command.addAll(List.of("--vault-id", vaultId + "@" + passwordFile));
        }
        command.add(file.toString());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("ansible-vault.log").toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(Files.readString(dir.resolve("ansible-vault.log")))
                .isZero();
        Files.delete(passwordFile);
        return Files.readString(file);
    }

    @Test
    void aFileEncryptedByAnsibleVaultDecryptsToItsText() throws Exception {
        String vault = encrypt(dir, PLAIN, PASSWORD, null);
        assertThat(vault).startsWith("$ANSIBLE_VAULT;1.1;AES256");
        assertThat(AnsibleVault.isEncrypted(vault)).isTrue();
        assertThat(AnsibleVault.decrypt(vault, PASSWORD)).isEqualTo(PLAIN);
    }

    @Test
    void aFileEncryptedUnderAVaultIdDecryptsToItsText() throws Exception {
        String vault = encrypt(dir, PLAIN, PASSWORD, "prod");
        assertThat(vault).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod");
        assertThat(AnsibleVault.decrypt(vault, PASSWORD)).isEqualTo(PLAIN);
    }

    @Test
    void textWhoseLengthIsAWholeNumberOfBlocksDecrypts() throws Exception {
        String plain = "a: 0123456789ab\n"; // 16 bytes: a whole block of padding follows
        assertThat(AnsibleVault.decrypt(encrypt(dir, plain, PASSWORD, null), PASSWORD))
                .isEqualTo(plain);
    }

    @Test
    void aPasswordBeyondAsciiDerivesTheSameKeyAsAnsible() throws Exception {
        String password = "pässwörd-密码";
        assertThat(AnsibleVault.decrypt(encrypt(dir, PLAIN, password, null), password))
                .isEqualTo(PLAIN);
    }

    @Test
    void aWrongPasswordIsAClearErrorNotGarbage() throws Exception {
        String vault = encrypt(dir, PLAIN, PASSWORD, null);
        assertThatThrownBy(() -> AnsibleVault.decrypt(vault, "wrong password"))
                .isInstanceOf(VaultException.class)
                .hasMessage("wrong vault password, or the file was changed after it was encrypted");
    }

    @Test
    void aTamperedCiphertextIsRefusedBeforeDecrypting() throws Exception {
        String vault = encrypt(dir, PLAIN, PASSWORD, null);
        String header = vault.substring(0, vault.indexOf('\n'));
        String inner = new String(
                HexFormat.of().parseHex(vault.substring(header.length()).replaceAll("\\s", "")),
                StandardCharsets.US_ASCII);
        char last = inner.charAt(inner.length() - 1);
        String changed = inner.substring(0, inner.length() - 1) + (last == '0' ? '1' : '0');
        String tampered = header + "\n" + HexFormat.of().formatHex(changed.getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> AnsibleVault.decrypt(tampered, PASSWORD))
                .isInstanceOf(VaultException.class)
                .hasMessageContaining("changed after it was encrypted");
    }

    @Test
    void aDamagedBodyIsAClearError() throws Exception {
        String vault = encrypt(dir, PLAIN, PASSWORD, null);
        String header = vault.substring(0, vault.indexOf('\n'));
        String body = vault.substring(vault.indexOf('\n'));
        assertThatThrownBy(() -> AnsibleVault.decrypt(header + body.replace('6', 'z'), PASSWORD))
                .isInstanceOf(VaultException.class)
                .hasMessageContaining("expected hexadecimal digits");
        assertThatThrownBy(() -> AnsibleVault.decrypt("$ANSIBLE_VAULT;1.1;AES256\n", PASSWORD))
                .isInstanceOf(VaultException.class)
                .hasMessageContaining("damaged");
        assertThatThrownBy(() -> AnsibleVault.decrypt(vault.replace(";1.1;", ";1.0;"), PASSWORD))
                .isInstanceOf(VaultException.class)
                .hasMessageContaining("unsupported Ansible Vault format 1.0");
    }

    @Test
    void errorsNeverContainThePassword() throws Exception {
        String vault = encrypt(dir, PLAIN, PASSWORD, null);
        assertThatThrownBy(() -> AnsibleVault.decrypt(vault, "hunter2-wrong")).hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> AnsibleVault.decrypt(vault, ""))
                .isInstanceOf(VaultException.class)
                .hasMessage("no vault password given");
    }
}
