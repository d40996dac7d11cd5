package org.cnx.conveyor.environment.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cnx.conveyor.environment.inventory.AnsibleVault.VaultException;

/**
 * Reads an inventory's variable files, decrypting those encrypted whole with Ansible Vault when the import was given
 * the vault password, and skipping them with a warning when it was not. The password is held only for the import.
 */
final class VariableFiles {

    private static final Pattern VAULT_NAME = Pattern.compile("\\bvault_[A-Za-z0-9_]+");
    private static final long MAX_SCANNED_FILE = 1 << 20;

    private final Path dir;
    private final String vaultPassword;
    private final List<String> warnings;
    private final Set<String> vaultedNames = new TreeSet<>();

    /** {@code vaultPassword} may be null or blank: vault files are then skipped. */
    VariableFiles(Path dir, String vaultPassword, List<String> warnings) {
        this.dir = dir;
        this.vaultPassword = vaultPassword == null || vaultPassword.isEmpty() ? null : vaultPassword;
        this.warnings = warnings;
    }

    /** The variables of one file; a vault file decrypts to its variables, or to none when there is no password. */
    Map<String, Object> read(Path file, String displayName) {
        String text = AnsibleYaml.readText(file);
        if (!AnsibleVault.isEncrypted(text)) {
            return AnsibleYaml.parseMapping(text, displayName);
        }
        if (vaultPassword == null) {
            warnings.add(displayName + " is encrypted with Ansible Vault and no vaultPassword was given; skipped. "
                    + missingSecretsHint());
            return new LinkedHashMap<>();
        }
        String plain;
        try {
            plain = AnsibleVault.decrypt(text, vaultPassword);
        } catch (VaultException e) {
            throw new InventoryImportException(displayName, 0, "cannot decrypt the vault: " + e.getMessage());
        }
        Map<String, Object> variables = AnsibleYaml.parseMapping(plain, displayName + " (decrypted)");
        vaultedNames.addAll(variables.keySet());
        return variables;
    }

    /** Names of the variables read from vault files: their values are secrets whatever they are called. */
    Set<String> vaultedNames() {
        return Collections.unmodifiableSet(vaultedNames);
    }

    private String missingSecretsHint() {
        Set<String> names = referencedVaultNames();
        return names.isEmpty()
                ? "Create its variables as secrets in Conveyor"
                : "Create these variables as secrets in Conveyor: " + String.join(", ", names);
    }

    /** The {@code vault_*} names the plain variable files refer to, which is all a locked vault lets us know. */
    private Set<String> referencedVaultNames() {
        Set<String> names = new TreeSet<>();
        for (String folder : List.of("group_vars", "host_vars")) {
            Path root = dir.resolve(folder);
            if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root, 3)) {
                files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                        .forEach(file -> scan(file, names));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + root, e);
            }
        }
        return names;
    }

    private static void scan(Path file, Set<String> names) {
        try {
            if (Files.size(file) > MAX_SCANNED_FILE) {
                return;
            }
            String text = Files.readString(file);
            if (!AnsibleVault.isEncrypted(text)) {
                Matcher matcher = VAULT_NAME.matcher(text);
                while (matcher.find()) {
                    names.add(matcher.group());
                }
            }
        } catch (IOException e) {
            // A file we cannot read only makes the hint shorter.
        }
    }
}
