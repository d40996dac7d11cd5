package org.cnx.conveyor.environment.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionDirectoryTest {

    private static final String STAGING = """
            name: staging
            kind: shared
            stage: dev
            hosts:
              - name: local
                transport: local
                roles: [web]
            components:
              web:
                start: ./start.sh
                stop: ./stop.sh
            """;

    @Test
    void twoActiveFilesDeclaringTheSameNameAreAProblemOfTheSecond(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("environments"));
        Files.writeString(dir.resolve("staging.yml"), STAGING);
        Files.writeString(dir.resolve("staging.yaml"), STAGING);
        Files.writeString(dir.resolve("staging.example.yml"), STAGING);

        DirectoryLoad load = DefinitionDirectory.load(dir);

        assertThat(load.problems())
                .extracting(Object::toString)
                .containsExactly(
                        "environments/staging.yml:1:7: name: expected a name not declared by environments/staging.yaml, "
                                + "found \"staging\" again");
        assertThat(load.definitions())
                .extracting(LoadedDefinition::file, LoadedDefinition::example)
                .containsExactly(
                        tuple("environments/staging.example.yml", true), tuple("environments/staging.yaml", false));
        assertThat(load.definitions().get(1).sha256()).hasSize(64);
    }

    @Test
    void anInvalidFileIsLeftOutAndItsProblemsReported(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("environments"));
        Files.writeString(dir.resolve("broken.yml"), "");
        Files.writeString(dir.resolve("staging.yml"), STAGING);

        DirectoryLoad load = DefinitionDirectory.load(dir);

        assertThat(load.definitions()).extracting(LoadedDefinition::file).containsExactly("environments/staging.yml");
        assertThat(load.problems())
                .extracting(Object::toString)
                .containsExactly(
                        "environments/broken.yml:1:1: (file): expected a mapping of environment settings, found an empty file");
    }
}
