package org.cnx.conveyor.environment.inventory;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An inventory made to hurt the importer: each attack is an import problem naming the file, in milliseconds. */
@Timeout(10)
class HostileInventoryTest {

    @TempDir
    Path dir;

    private void inventory(String hosts) throws IOException {
        Files.writeString(dir.resolve("inventory"), "[web]\n" + hosts + "\n");
    }

    private void importIt() {
        new InventoryImporter().importDirectory(dir, "hostile", Kind.SHARED, "dev");
    }

    @Test
    void aHostNameThatClimbsOutOfHostVarsIsRefused() throws IOException {
        Path outside = dir.resolveSibling(dir.getFileName() + "-outside.yml");
        Files.writeString(outside, "ansible_host: 10.9.9.9\n");
        Files.createDirectories(dir.resolve("host_vars"));
        inventory("host_vars/../../" + outside.getFileName().toString().replace(".yml", ""));
        assertThatThrownBy(this::importIt)
                .isInstanceOf(InventoryImportException.class)
                .hasMessageContaining("no '/' and no '..'");
        inventory("..");
        assertThatThrownBy(this::importIt)
                .isInstanceOf(InventoryImportException.class)
                .hasMessageContaining("no '/' and no '..'");
        inventory("/etc/passwd");
        assertThatThrownBy(this::importIt)
                .isInstanceOf(InventoryImportException.class)
                .hasMessageContaining("no '/' and no '..'");
    }

    @Test
    void anAliasBombInGroupVariablesIsAnImportProblem() throws IOException {
        inventory("web1 ansible_host=10.0.0.1");
        Files.createDirectories(dir.resolve("group_vars"));
        Files.writeString(dir.resolve("group_vars/all.yml"), org.cnx.conveyor.yaml.SafeYamlTestData.ALIAS_BOMB);
        assertThatThrownBy(this::importIt)
                .isInstanceOf(InventoryImportException.class)
                .hasMessageContaining("group_vars/all.yml")
                .hasMessageContaining("invalid YAML")
                .hasMessageContaining("alias");
    }

    @Test
    void aRecursiveAliasInHostVariablesIsAnImportProblem() throws IOException {
        inventory("web1");
        Files.createDirectories(dir.resolve("host_vars"));
        Files.writeString(dir.resolve("host_vars/web1.yml"), "ansible_host: &a\n  b: *a\n");
        assertThatThrownBy(this::importIt)
                .isInstanceOf(InventoryImportException.class)
                .hasMessageContaining("host_vars/web1.yml")
                .hasMessageContaining("recursive alias");
    }
}
