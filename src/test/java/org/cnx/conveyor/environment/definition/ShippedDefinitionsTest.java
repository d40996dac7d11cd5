package org.cnx.conveyor.environment.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Kind;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.MigrationsRecipe;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Transport;
import org.junit.jupiter.api.Test;

class ShippedDefinitionsTest {

    private final DirectoryLoad load = DefinitionDirectory.load(Path.of("environments"));

    @Test
    void everyShippedFileLoadsWithoutProblems() {
        assertThat(load.problems()).isEmpty();
        assertThat(load.definitions())
                .extracting(LoadedDefinition::file)
                .containsExactly(
                        "environments/demo.yml",
                        "environments/production.example.yml",
                        "environments/staging.example.yml");
        assertThat(load.templates())
                .extracting(LoadedDefinition::file)
                .containsExactly("environments/templates/personal.yml", "environments/templates/preview.yml");
    }

    @Test
    void theDemoAndTheStagingExampleDeclareScrubbedSnapshotsAndStagingTakesThemNightly() {
        assertThat(definition("demo").snapshots().orElseThrow().scrub()).contains("DELETE FROM api_keys");
        assertThat(definition("staging").snapshots().orElseThrow().schedule())
                .contains(new Schedule("30 2 * * *", "America/Chicago"));
    }

    @Test
    void stagingAndProductionTakeTheShippedSharedRunbooks() {
        for (String name : new String[] {"staging", "production"}) {
            assertThat(definition(name).runbooks()).containsOnlyKeys("clear-webview-cache", "disk-usage");
            assertThat(definition(name).runbooks().get("clear-webview-cache").sharedFrom())
                    .contains("environments/runbooks/cnx.yml");
        }
    }

    @Test
    void onlyExampleFilesAreFlaggedAsExamples() {
        assertThat(load.definitions())
                .filteredOn(LoadedDefinition::example)
                .extracting(loaded -> loaded.definition().name())
                .containsExactly("production", "staging");
    }

    @Test
    void theDemoRunsEveryComponentOnOneLocalHost() {
        EnvironmentDefinition demo = definition("demo");
        assertThat(demo.kind()).isEqualTo(Kind.SHARED);
        assertThat(demo.hosts()).singleElement().satisfies(host -> {
            assertThat(host.transport()).isEqualTo(Transport.LOCAL);
            assertThat(host.root()).isEqualTo("hosts/demo");
        });
        assertThat(demo.components()).containsOnlyKeys("db", "archive", "webview", "publishing");
        assertThat(demo.components().get("db").migrations()).contains(MigrationsRecipe.flyway("migrations"));
        assertThat(demo.database().orElseThrow().embedded()).contains("conveyor_demo");
        assertThat(demo.hostsFor(demo.components().get("publishing")))
                .extracting(EnvironmentDefinition.Host::name)
                .containsExactly("local");
        assertThat(demo.components().get("publishing").health().orElseThrow().isHttp())
                .isFalse();
        assertThat(demo.secretNames()).isEmpty();
    }

    @Test
    void stagingListsEverySecretItReferences() {
        EnvironmentDefinition staging = definition("staging");
        assertThat(staging.secretNames()).containsExactly("staging-ssh-key", "staging-db-password");
        assertThat(staging.database().orElseThrow().isTunnelled()).isTrue();
        assertThat(staging.approvals()).isZero();
    }

    @Test
    void productionNeedsTwoApprovals() {
        EnvironmentDefinition production = definition("production");
        assertThat(production.approvals()).isEqualTo(2);
        assertThat(production.hosts()).hasSize(5);
        assertThat(production.hostsFor(production.components().get("webview")))
                .extracting(EnvironmentDefinition.Host::name)
                .containsExactly("app2", "web1");
    }

    @Test
    void productionRollsOutOneHostAtATimeBehindHaproxyWithACanary() {
        RolloutSpec rollout = definition("production").rollout();
        assertThat(rollout.isRolling()).isTrue();
        assertThat(rollout.batchSize()).hasToString("1");
        assertThat(rollout.loadBalancer().orElseThrow().server("app2", "webview"))
                .contains("webview/app2");
        assertThat(rollout.canary().orElseThrow().checks()).hasSize(2);
        assertThat(rollout.maintenance().orElseThrow().always()).isFalse();
        assertThat(definition("staging").rollout()).isEqualTo(RolloutSpec.ALL_AT_ONCE);
    }

    private EnvironmentDefinition definition(String name) {
        return load.definitions().stream()
                .map(LoadedDefinition::definition)
                .filter(definition -> definition.name().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
