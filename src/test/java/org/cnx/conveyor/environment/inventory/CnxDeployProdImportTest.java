package org.cnx.conveyor.environment.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.cnx.conveyor.environment.definition.DefinitionParser;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Kind;
import org.cnx.conveyor.environment.definition.ParseResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CnxDeployProdImportTest {

    @TempDir
    Path root;

    private Path dir;

    @BeforeEach
    void inventoryFolder() throws IOException {
        dir = Files.createDirectories(root.resolve("prod"));
    }

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
        Files.writeString(
                dir.resolve("inventory"),
                "[prod00]\nprod00.cnx.org\n[prod01]\nprod01.cnx.org\n[archive:children]\nprod01\n");
        ImportResult result = importIt();
        assertThat(parse(result).hosts()).extracting(Host::name).containsExactly("prod01-cnx-org");
        assertThat(result.warnings()).contains("host prod00.cnx.org is in no functional group; not imported");
    }

    private void sharedVersions() throws IOException {
        Path shared = Files.createDirectories(root.resolve("shared"));
        Files.writeString(shared.resolve("versions.yml"), """
                archive_version: 4.15.23
                publishing_version: "0.14.1"
                press_version: 1.10
                archive_deploy_dependencies:
                  - cnx-query-grammar==1.2
                  - cnx-epub==0.17.0
                  - cnx-archive=={{ archive_version }}
                  - cnx-common=={{ common_version | default('1.3') }}
                cnx_db_deploy_dependencies:
                  - psycopg2==2.8.6
                ansible_python_interpreter: /usr/bin/python3
                """);
        Files.createDirectories(dir.resolve("group_vars/all"));
        Files.createSymbolicLink(dir.resolve("group_vars/all/versions.yml"), Path.of("../../../shared/versions.yml"));
        Files.writeString(dir.resolve("versions.yml"), "webview_version: 2.3.0\npress_version: 1.9\n");
    }

    @Test
    void pinsFromASymlinkedGroupVersionsFileAndTheRootBecomeTheRelease() throws IOException {
        CnxDeployProdInventory.write(dir);
        sharedVersions();
        ImportResult result = importIt();
        assertThat(result.componentVersions())
                .containsExactly(
                        entry("webview", "2.3.0"),
                        entry("press", "1.10"),
                        entry("archive", "4.15.23"),
                        entry("publishing", "0.14.1"));
        assertThat(result.warnings())
                .contains(
                        "group_vars/all/versions.yml: press_version 1.10 replaces 1.9 from versions.yml",
                        "group_vars/all/versions.yml: ansible_python_interpreter is neither a <component>_version pin"
                                + " nor a <component>_deploy_dependencies list; skipped");
        assertThat(parse(result).variables()).doesNotContainKeys("ARCHIVE_VERSION", "ANSIBLE_PYTHON_INTERPRETER");
    }

    @Test
    void deployDependenciesAreKeptInTheirComponentsEnvironment() throws IOException {
        CnxDeployProdInventory.write(dir);
        sharedVersions();
        ImportResult result = importIt();
        EnvironmentDefinition definition = parse(result);
        assertThat(definition.components().get("archive").env())
                .containsExactly(entry(
                        "DEPLOY_DEPENDENCIES",
                        "cnx-query-grammar==1.2\ncnx-epub==0.17.0\ncnx-archive==4.15.23\n"
                                + "cnx-common=={{ common_version | default('1.3') }}"));
        assertThat(definition.components().get("publishing").env()).isEmpty();
        assertThat(result.warnings())
                .contains("deploy dependency of archive uses a Jinja expression that cannot be resolved, copied as"
                        + " written: cnx-common=={{ common_version | default('1.3') }}");
        assertThat(result.warnings())
                .contains("deploy dependencies of cnx-db are not kept: no component cnx-db in the inventory"
                        + " (psycopg2==2.8.6)");
    }

    private void hostVariables() throws IOException {
        Files.createDirectories(dir.resolve("group_vars/all"));
        Files.writeString(dir.resolve("group_vars/all/vars.yml"), """
                db_host: prod09.cnx.org
                vault_db_password: s3cr3t
                db_url: "postgresql://{{ db_host }}:5432/repository"
                """);
        Files.createDirectories(dir.resolve("host_vars"));
        Files.writeString(dir.resolve("host_vars/prod07.cnx.org"), """
                archive_db_host: "{{ db_host }}"
                archive_count: 8
                archive_db_password: "{{ vault_db_password }}"
                archive_release: "archive-{{ archive_version }}"
                archive_cache: "{{ lookup('env', 'CACHE') }}"
                archive_workers:
                  - name: a
                ansible_python_interpreter: /usr/bin/python3
                """);
    }

    @Test
    void hostVarsBecomeTheHostsVariablesWithReferencesResolvedWhereKnown() throws IOException {
        CnxDeployProdInventory.write(dir);
        sharedVersions();
        hostVariables();
        ImportResult result = importIt();
        EnvironmentDefinition definition = parse(result);
        Host prod07 = definition.hosts().stream()
                .filter(host -> host.name().equals("prod07-cnx-org"))
                .findFirst()
                .orElseThrow();
        assertThat(prod07.variables())
                .containsExactly(
                        entry("ARCHIVE_DB_HOST", "prod09.cnx.org"),
                        entry("ARCHIVE_COUNT", "8"),
                        entry("ARCHIVE_DB_PASSWORD", "${secret:prod-vault-db-password}"),
                        entry("ARCHIVE_RELEASE", "archive-4.15.23"),
                        entry("ARCHIVE_CACHE", "{{ lookup('env', 'CACHE') }}"));
        assertThat(definition.variables()).containsEntry("DB_URL", "postgresql://prod09.cnx.org:5432/repository");
        assertThat(result.secretValues())
                .containsEntry("prod-vault-db-password", "s3cr3t")
                .hasSize(1);
        assertThat(result.definitionYaml()).doesNotContain("s3cr3t");
    }

    @Test
    void everyHostValueThatCannotBeImportedIsListedInTheAnswer() throws IOException {
        CnxDeployProdInventory.write(dir);
        sharedVersions();
        hostVariables();
        assertThat(importIt().warnings())
                .contains(
                        "host prod07-cnx-org variable ARCHIVE_CACHE uses a Jinja expression that cannot be resolved,"
                                + " copied as written: {{ lookup('env', 'CACHE') }}",
                        "host prod07-cnx-org variable ARCHIVE_WORKERS is a list of mappings or lists; not copied",
                        "host prod07-cnx-org variable ansible_python_interpreter is an Ansible setting; not imported");
    }

    @Test
    void variablesOfSingleGroupsAreListedAsNotImported() throws IOException {
        Files.writeString(dir.resolve("inventory"), CnxDeployProdInventory.INVENTORY + "[archive:vars]\nworkers=4\n");
        Files.createDirectories(dir.resolve("group_vars"));
        Files.writeString(dir.resolve("group_vars/zope.yml"), "zope_threads: 4\n");
        assertThat(importIt().warnings())
                .contains(
                        "inventory [archive:vars] workers is not imported",
                        "group_vars/zope.yml is not imported: only group_vars/all is");
    }
}
