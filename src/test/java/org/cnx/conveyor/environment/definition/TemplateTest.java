package org.cnx.conveyor.environment.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Kind;
import org.junit.jupiter.api.Test;

class TemplateTest {

    private final DefinitionParser parser = new DefinitionParser();

    @Test
    void theShippedTemplatesValidate() throws IOException {
        for (String template : new String[] {"personal", "preview"}) {
            String text = Files.readString(Path.of("environments/templates/" + template + ".yml"));
            assertThat(parser.parseTemplate("environments/templates/" + template + ".yml", text)
                            .problems())
                    .isEmpty();
        }
    }

    @Test
    void renderingThePreviewTemplateGivesAValidPreviewEnvironment() throws IOException {
        String template = Files.readString(Path.of("environments/templates/preview.yml"));
        String rendered = TemplateRenderer.render(
                template,
                Map.of(
                        "name",
                        "pr-42",
                        "number",
                        "42",
                        "branch",
                        "feature/faster-search",
                        "commit",
                        "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432",
                        "database",
                        "pr_42",
                        "port:archive",
                        "21001",
                        "port:webview",
                        "21000"));

        ParseResult result = parser.parseRendered("environments/pr-42.yml", rendered);

        assertThat(result.problems()).isEmpty();
        EnvironmentDefinition preview = result.definition().orElseThrow();
        assertThat(preview.name()).isEqualTo("pr-42");
        assertThat(preview.kind()).isEqualTo(Kind.PREVIEW);
        assertThat(preview.ttl()).contains(Duration.ofHours(48));
        assertThat(preview.url()).contains("http://localhost:21000/");
        assertThat(preview.description())
                .contains(
                        "Preview of pull request 42 (branch feature/faster-search at 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432)");
        assertThat(preview.components().get("archive").port()).hasValue(21001);
        assertThat(preview.hosts().get(0).root()).isEqualTo("hosts/pr-42");
    }

    @Test
    void anUnknownPlaceholderIsRejectedWithItsPosition() {
        String template = """
                name: "{{name}}"
                description: For {{owner}}
                """;
        assertThatThrownBy(() -> TemplateRenderer.render(template, Map.of("name", "clone")))
                .isInstanceOfSatisfying(
                        TemplateException.class,
                        e -> assertThat(e.issues())
                                .extracting(Object::toString)
                                .containsExactly(
                                        "2:18: unknown placeholder {{owner}}, expected one of {{name}}, {{number}}, "
                                                + "{{branch}}, {{commit}}, {{user}}, {{database}}, {{port:COMPONENT}}, {{host:ROLE}}"));
    }

    @Test
    void aBranchNameWithShellMetacharactersIsRejected() {
        assertThatThrownBy(
                        () -> TemplateRenderer.render("description: {{branch}}\n", Map.of("branch", "main;rm -rf /")))
                .isInstanceOfSatisfying(
                        TemplateException.class,
                        e -> assertThat(e.issues())
                                .extracting(Object::toString)
                                .containsExactly("1:14: expected a value for {{branch}} matching "
                                        + "(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9._/-]{0,199}, found \"main;rm -rf /\""));
    }

    @Test
    void aMissingValueIsRejected() {
        assertThatThrownBy(() -> TemplateRenderer.render("description: {{commit}}\n", Map.of()))
                .hasMessage("1:14: no value given for placeholder {{commit}}");
    }

    @Test
    void aTemplateOfTheWrongKindIsReportedAgainstItsFile() {
        ParseResult result = parser.parseTemplate("environments/templates/personal.yml", """
                name: "{{name}}"
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
                """);
        assertThat(result.problems())
                .extracting(Object::toString)
                .containsExactly(
                        "environments/templates/personal.yml:2:7: kind: expected personal for template personal.yml, "
                                + "found \"shared\"");
    }

    @Test
    void aTemplateThatWouldRunADevelopersCodeUnsandboxedIsRefused() {
        ParseResult result = parser.parseTemplate("environments/templates/preview.yml", """
                name: "{{name}}"
                kind: preview
                stage: dev
                root: hosts/{{name}}
                hosts:
                  - name: local
                    transport: local
                    roles: [web]
                components:
                  web:
                    start: ./start.sh
                    stop: ./stop.sh
                """);
        assertThat(result.problems())
                .extracting(Object::toString)
                .containsExactly(
                        "environments/templates/preview.yml:7:16: hosts[0].transport: expected sandbox or ssh for a preview "
                                + "environment (developers deploy it; a local host would run their code as Conveyor's own user), "
                                + "found \"local\"");
    }

    @Test
    void anUnknownPlaceholderInATemplateFileIsAProblemOfThatFile() {
        ParseResult result = parser.parseTemplate("environments/templates/preview.yml", """
                name: "{{name}}"
                kind: preview
                stage: dev
                description: {{title}}
                """);
        assertThat(result.problems())
                .extracting(Object::toString)
                .containsExactly(
                        "environments/templates/preview.yml:4:14: (template): unknown placeholder {{title}}, expected one "
                                + "of {{name}}, {{number}}, {{branch}}, {{commit}}, {{user}}, {{database}}, {{port:COMPONENT}}, {{host:ROLE}}");
    }
}
