package org.cnx.conveyor.environment.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runbooks shared through {@code environments/runbooks/*.yml}, taken by definitions with {@code use}. */
class SharedRunbookDefinitionTest {

    private static final String OPS = """
            restart-component:
              description: Restart app
              roles: [app]
              oneAtATime: true
              command: ./stop.sh && ./start.sh
            clear-cache:
              roles: [web]
              command: rm -rf shared/cache/*
            """;

    @TempDir
    Path root;

    private Path dir;

    @BeforeEach
    void directory() throws IOException {
        dir = Files.createDirectories(root.resolve("environments"));
        Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(dir.resolve("runbooks/ops.yml"), OPS);
    }

    private static String staging(String runbooks) {
        return """
                name: staging
                kind: shared
                stage: dev
                hosts:
                  - name: local
                    transport: local
                    roles: [app]
                components:
                  app:
                    start: ./start.sh
                    stop: ./stop.sh
                runbooks:
                """ + runbooks;
    }

    @Test
    void aDefinitionTakesASharedRunbookUnderItsOwnNameAndKeepsTheSharedFileWithIt() throws IOException {
        Files.writeString(dir.resolve("staging.yml"), staging("""
                  restart: {use: restart-component}
                  tidy:
                    roles: [app]
                    command: rm -f tmp/*
                """));

        DirectoryLoad load = DefinitionDirectory.load(dir);

        assertThat(load.problems()).isEmpty();
        assertThat(load.definitions()).extracting(LoadedDefinition::file).containsExactly("environments/staging.yml");
        LoadedDefinition staging = load.definitions().get(0);
        RunbookSpec restart = staging.definition().runbooks().get("restart");
        assertThat(restart.command()).isEqualTo("./stop.sh && ./start.sh");
        assertThat(restart.oneAtATime()).isTrue();
        assertThat(restart.sharedFrom()).contains("environments/runbooks/ops.yml");
        assertThat(staging.definition().runbooks().get("tidy").sharedFrom()).isEmpty();
        assertThat(staging.sharedRunbooks()).containsOnlyKeys("environments/runbooks/ops.yml");

        // The loaded copy is parsed again later from what was stored, without the folder.
        String stored = SharedRunbooks.encode(staging.sharedRunbooks());
        ParseResult again = new DefinitionParser().parse(staging.file(), staging.text(), SharedRunbooks.decode(stored));
        assertThat(again.definition().map(d -> d.runbooks().get("restart").command()))
                .contains("./stop.sh && ./start.sh");
    }

    @Test
    void aDefinitionWithoutSharedRunbooksStoresNone() throws IOException {
        Files.writeString(dir.resolve("staging.yml"), staging("""
                  tidy:
                    roles: [app]
                    command: rm -f tmp/*
                """));

        LoadedDefinition staging = DefinitionDirectory.load(dir).definitions().get(0);

        assertThat(staging.sharedRunbooks()).isEmpty();
        assertThat(SharedRunbooks.encode(staging.sharedRunbooks())).isNull();
    }

    @Test
    void anUnknownSharedNameIsReportedAtItsValueWithTheNamesThereAre() throws IOException {
        Files.writeString(dir.resolve("staging.yml"), staging("""
                  restart: {use: restart-everything}
                """));

        DirectoryLoad load = DefinitionDirectory.load(dir);

        assertThat(load.definitions()).isEmpty();
        assertThat(load.problems())
                .extracting(Object::toString)
                .containsExactly("environments/staging.yml:13:18: runbooks.restart.use: expected the name of a shared "
                        + "runbook of environments/runbooks/ (declared: restart-component, clear-cache), found "
                        + "\"restart-everything\"");
    }

    @Test
    void aSharedRunbookNeedsItsRolesInTheEnvironmentThatUsesIt() throws IOException {
        Files.writeString(dir.resolve("staging.yml"), staging("""
                  clear: {use: clear-cache}
                """));

        DirectoryLoad load = DefinitionDirectory.load(dir);

        assertThat(load.problems())
                .extracting(Object::toString)
                .containsExactly("environments/staging.yml:13:16: runbooks.clear.use: expected a host with role web: "
                        + "shared runbook \"clear-cache\" of environments/runbooks/ops.yml runs on hosts of roles web "
                        + "(this environment's roles: app)");
    }

    @Test
    void aSharedFileWithAProblemGivesNoRunbookAndTheDefinitionIsToldWhichFileToFix() throws IOException {
        Files.writeString(dir.resolve("runbooks/db.yml"), """
                vacuum:
                  roles: [db]
                  command: vacuumdb --all
                  oneAtATime: maybe
                  colour: red
                """);
        Files.writeString(dir.resolve("staging.yml"), staging("""
                  vacuum: {use: vacuum}
                """));

        DirectoryLoad load = DefinitionDirectory.load(dir);

        assertThat(load.definitions()).isEmpty();
        assertThat(load.problems())
                .extracting(Object::toString)
                .containsExactly(
                        "environments/runbooks/db.yml:5:3: vacuum.colour: unknown key, expected one of description, "
                                + "roles, command, copyDatabase, oneAtATime, role, confirm, parameters, schedule",
                        "environments/staging.yml:13:17: runbooks.vacuum.use: shared runbook \"vacuum\" is declared in "
                                + "environments/runbooks/db.yml, which has problems: fix them first");
    }

    @Test
    void aNameDeclaredByTwoSharedFilesIsAProblemOfTheSecond() throws IOException {
        Files.writeString(dir.resolve("runbooks/web.yml"), """
                clear-cache:
                  roles: [web]
                  command: varnishadm "ban req.url ~ ."
                """);

        DirectoryLoad load = DefinitionDirectory.load(dir);

        assertThat(load.problems())
                .extracting(Object::toString)
                .containsExactly("environments/runbooks/web.yml:1:1: clear-cache: expected a name not declared by "
                        + "environments/runbooks/ops.yml, found \"clear-cache\" again");
    }

    @Test
    void useTakesNoOtherSettingAndASharedFileCannotUseAnother() throws IOException {
        Files.writeString(dir.resolve("runbooks/more.yml"), """
                again: {use: restart-component}
                """);
        Files.writeString(dir.resolve("staging.yml"), staging("""
                  restart: {use: restart-component, role: lead}
                """));

        DirectoryLoad load = DefinitionDirectory.load(dir);

        assertThat(load.problems())
                .extracting(Object::toString)
                .containsExactly(
                        "environments/runbooks/more.yml:1:8: again.use: expected the runbook's own settings: a shared "
                                + "runbook cannot use another",
                        "environments/staging.yml:13:37: runbooks.restart.role: unknown key, expected one of use");
        assertThat(Optional.of(load.definitions()))
                .hasValueSatisfying(d -> assertThat(d).isEmpty());
    }

    @Test
    void theSharedFolderIsNotReadAsAnEnvironmentNorATemplate() throws IOException {
        DirectoryLoad load = DefinitionDirectory.load(dir);

        assertThat(load.problems()).isEmpty();
        assertThat(load.definitions()).isEmpty();
        assertThat(load.templates()).isEmpty();
    }
}
