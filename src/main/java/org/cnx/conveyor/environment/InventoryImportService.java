package org.cnx.conveyor.environment;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.cnx.conveyor.common.DomainException;
import org.cnx.conveyor.common.DomainException.Conflict;
import org.cnx.conveyor.common.DomainException.Invalid;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Kind;
import org.cnx.conveyor.environment.inventory.ImportResult;
import org.cnx.conveyor.environment.inventory.InventoryImportException;
import org.cnx.conveyor.environment.inventory.InventoryImporter;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.release.ReleaseViews;
import org.cnx.conveyor.secret.SecretService;

/** Turns a cnx-deploy Ansible inventory into a definition file and a release of its pinned versions. */
@ApplicationScoped
public class InventoryImportService {

    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9-]{0,62}$");

    /**
     * The body of {@code POST /api/environments/import}; {@code vaultPassword} (optional) decrypts the inventory's
     * Ansible Vault files for this import only: it is never stored, logged nor answered.
     */
    public record ImportRequest(String path, String name, String kind, String stage, String vaultPassword) {

        public ImportRequest(String path, String name, String kind, String stage) {
            this(path, name, kind, stage, null);
        }

        @Override
        public String toString() {
            return "ImportRequest[path=" + path + ", name=" + name + ", kind=" + kind + ", stage=" + stage
                    + ", vaultPassword=" + (vaultPassword == null ? "none" : "(hidden)") + "]";
        }
    }

    /** What an import produced. */
    public record Imported(String environment, String file, Long release, List<String> warnings) {}

    private final DefinitionSync definitions;
    private final ReleaseService releases;
    private final SecretService secrets;

    InventoryImportService(DefinitionSync definitions, ReleaseService releases, SecretService secrets) {
        this.definitions = definitions;
        this.releases = releases;
        this.secrets = secrets;
    }

    public Imported importInventory(ImportRequest request, String by) {
        if (request == null || request.path() == null || request.name() == null) {
            throw new Invalid("expected {\"path\", \"name\", \"kind\", \"stage\"}");
        }
        if (!NAME.matcher(request.name()).matches()) {
            throw new Invalid("name: expected an environment name of a-z, 0-9 and '-', starting with a letter");
        }
        Kind kind = parseKind(request.kind() == null ? "shared" : request.kind());
        String stage = request.stage() == null ? request.name() : request.stage();
        Path dir = Path.of(request.path());
        if (!Files.isDirectory(dir)) {
            throw new Invalid("path: expected an inventory directory on Conveyor's machine, found nothing at " + dir);
        }
        Path target = definitions.environmentsDir().resolve(request.name() + ".yml");
        if (Files.exists(target)) {
            throw new Conflict(
                    "environments/" + request.name() + ".yml already exists; remove it or choose another name");
        }
        ImportResult result;
        try {
            result = new InventoryImporter().importDirectory(dir, request.name(), kind, stage, request.vaultPassword());
        } catch (InventoryImportException e) {
            throw new Invalid(e.getMessage());
        }
        List<String> warnings = new ArrayList<>(result.warnings());
        result.secretValues().forEach((name, value) -> storeSecret(name, value, by, warnings));
        write(target, result.definitionYaml());
        definitions.sync();
        Long release = result.componentVersions().isEmpty() ? null : releaseOf(result, request.path(), by);
        return new Imported(request.name(), "environments/" + request.name() + ".yml", release, warnings);
    }

    /**
     * Stores a secret-like variable's value encrypted. An existing secret is kept (the import does not overwrite what
     * an admin set), and a value that is only a reference to Ansible Vault is not a secret worth storing.
     */
    private void storeSecret(String name, String value, String by, List<String> warnings) {
        if (secrets.exists(name)) {
            warnings.add("secret " + name + " exists already and was kept as it is");
        } else if (value.isBlank()
                || value.contains("{{")
                || value.contains("{%")
                || value.startsWith("$ANSIBLE_VAULT")) {
            warnings.add(
                    "secret " + name + " has no plain value in the inventory (empty, a Jinja expression or a vault); "
                            + "create it in Conveyor");
        } else {
            try {
                secrets.put(name, value, by);
            } catch (DomainException e) {
                warnings.add("secret " + name + " was not stored (" + e.getMessage() + "); create it in Conveyor");
            }
        }
    }

    private Long releaseOf(ImportResult result, String path, String by) {
        Map<String, ReleaseViews.ComponentPin> pins = new LinkedHashMap<>();
        result.componentVersions()
                .forEach((component, version) -> pins.put(component, new ReleaseViews.ComponentPin(version, null)));
        return releases.create(
                        new ReleaseViews.NewRelease(pins, "Imported from the Ansible inventory " + path, null), by)
                .id();
    }

    private static Kind parseKind(String kind) {
        for (Kind k : Kind.values()) {
            if (k.yamlName().equals(kind)) {
                return k;
            }
        }
        throw new Invalid("kind: expected one of personal, preview, shared, production, found \"" + kind + "\"");
    }

    private static void write(Path target, String text) {
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(target, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
