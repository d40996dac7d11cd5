package org.cnx.conveyor.environment.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.cnx.conveyor.environment.definition.DefinitionParser;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Kind;
import org.cnx.conveyor.environment.definition.ParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CnxDeployProdImportTest {

    @TempDir
    Path dir;

    private ImportResult importIt() {
        return new InventoryImporter().importDirectory(dir, "prod", Kind.PRODUCTION, "production");
    }

    private static EnvironmentDefinition parse(ImportResult result) {
        ParseResult parsed = new DefinitionParser().parse("environments/prod.yml", result.definitionYaml());
        assertThat(parsed.problems()).isEmpty();
        return parsed.definition().orElseThrow();
    }

    @Test
    void aGroupHoldingOnlyTheHostOfTheSameNameIsThatHostNotAComponent() throws IOException {
        CnxDeployProdInventory.write(dir);
        EnvironmentDefinition definition = parse(importIt());
        assertThat(definition.hosts()).hasSize(14);
        assertThat(definition.components().keySet())
                .containsExactly(
                        "nfs",
                        "database",
                        "replicant",
                        "archive",
                        "publishing",
                        "legacy-frontend",
                        "frontend",
                        "webview",
                        "zeo",
                        "zclient",
                        "press",
                        "backup",
                        "zope",
                        "db-connected");
        assertThat(definition.components().keySet()).noneMatch(name -> name.startsWith("prod"));
    }

    @Test
    void aHostsRolesAreItsFunctionalGroupsDirectlyOrThroughNestedChildren() throws IOException {
        CnxDeployProdInventory.write(dir);
        Map<String, List<String>> roles =
                parse(importIt()).hosts().stream().collect(Collectors.toMap(Host::name, Host::roles));
        assertThat(roles)
                .contains(
                        entry("prod04-cnx-org", List.of("zeo", "zclient", "zope", "db-connected")),
                        entry("prod08-cnx-org", List.of("archive", "publishing", "db-connected")),
                        entry("prod-files00-cnx-org", List.of("nfs")),
                        entry("backup2-cnx-org", List.of("backup")),
                        entry("prod00-cnx-org", List.of("webview")));
    }

    @Test
    void anEmptyChildrenGroupIsReportedAndGroupsOfGroupsAreNamed() throws IOException {
        CnxDeployProdInventory.write(dir);
        assertThat(importIt().warnings())
                .contains(
                        "group authoring has no host; no component authoring",
                        "component zope comes from a group of groups (zeo, zclient); remove it if nothing is"
                                + " deployed as zope itself");
    }

    @Test
    void aHostInNoFunctionalGroupIsReportedNotImported() throws IOException {
        java.nio.file.Files.writeString(
                dir.resolve("inventory"),
                "[prod00]\nprod00.cnx.org\n[prod01]\nprod01.cnx.org\n[archive:children]\nprod01\n");
        ImportResult result = importIt();
        assertThat(parse(result).hosts()).extracting(Host::name).containsExactly("prod01-cnx-org");
        assertThat(result.warnings()).contains("host prod00.cnx.org is in no functional group; not imported");
    }
}
