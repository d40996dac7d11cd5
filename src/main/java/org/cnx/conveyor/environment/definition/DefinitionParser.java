package org.cnx.conveyor.environment.definition;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.cnx.conveyor.environment.definition.DefinitionBinder.FileRules;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Kind;
import org.cnx.conveyor.environment.definition.TemplateException.Issue;
import org.cnx.conveyor.yaml.SafeYaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/** Parses and validates environment definition files and templates, reporting every problem with its position. */
public final class DefinitionParser {

    /** Values substituted to validate a template; real values are checked against the same patterns. */
    private static final Map<String, String> SAMPLE_VALUES = Map.of(
            "name",
            "sample",
            "number",
            "1",
            "branch",
            "main",
            "commit",
            "0123456789abcdef0123456789abcdef01234567",
            "user",
            "sample",
            "database",
            "sample");

    private static final int FIRST_SAMPLE_PORT = 20000;

    /** Parses a definition; its {@code name} must equal the file name (without {@code .yml} and {@code .example}). */
    public ParseResult parse(String displayName, String yamlText) {
        return parse(displayName, yamlText, SharedRunbooks.NONE);
    }

    /** Parses a definition whose {@code runbooks} may {@code use} the given shared runbooks. */
    public ParseResult parse(String displayName, String yamlText, SharedRunbooks shared) {
        return parse(displayName, yamlText, FileRules.forDefinition(Optional.of(baseName(displayName))), shared);
    }

    /**
     * Validates a template by rendering it with sample values; {@code personal.yml} must be of kind personal,
     * {@code preview.yml} of kind preview, any other template one of the two.
     */
    public ParseResult parseTemplate(String displayName, String yamlText) {
        Problems problems = new Problems(displayName);
        Map<String, String> samples = sampleValues(yamlText);
        for (Issue issue : TemplateRenderer.check(yamlText, samples)) {
            problems.add(issue.line(), issue.column(), "(template)", issue.message());
        }
        if (!problems.isEmpty()) {
            return new ParseResult(Optional.empty(), problems.inDocumentOrder());
        }
        return parse(
                displayName,
                TemplateRenderer.render(yamlText, samples),
                templateRules(baseName(displayName)),
                SharedRunbooks.NONE);
    }

    /** Parses text that was rendered from a template: the name is not tied to a file. */
    public ParseResult parseRendered(String displayName, String yamlText) {
        return parse(displayName, yamlText, templateRules(""), SharedRunbooks.NONE);
    }

    private static FileRules templateRules(String templateName) {
        return switch (templateName) {
            case "personal" -> new FileRules(Optional.empty(), EnumSet.of(Kind.PERSONAL), "for template personal.yml");
            case "preview" -> new FileRules(Optional.empty(), EnumSet.of(Kind.PREVIEW), "for template preview.yml");
            default -> new FileRules(Optional.empty(), EnumSet.of(Kind.PERSONAL, Kind.PREVIEW), "for a template");
        };
    }

    private ParseResult parse(String displayName, String yamlText, FileRules rules, SharedRunbooks shared) {
        Problems problems = new Problems(displayName);
        Node root;
        try {
            root = SafeYaml.compose(yamlText);
        } catch (MarkedYAMLException e) {
            problems.add(e.getProblemMark(), "(yaml)", syntaxMessage(e));
            return new ParseResult(Optional.empty(), problems.inDocumentOrder());
        } catch (YAMLException e) {
            problems.add(1, 1, "(yaml)", "invalid YAML: " + e.getMessage());
            return new ParseResult(Optional.empty(), problems.inDocumentOrder());
        }
        if (root == null) {
            problems.add(1, 1, "(file)", "expected a mapping of environment settings, found an empty file");
            return new ParseResult(Optional.empty(), problems.inDocumentOrder());
        }
        Optional<EnvironmentDefinition> definition = DefinitionBinder.bind(root, rules, shared, problems);
        return new ParseResult(problems.isEmpty() ? definition : Optional.empty(), problems.inDocumentOrder());
    }

    static String syntaxMessage(MarkedYAMLException e) {
        String message = "invalid YAML: " + e.getProblem();
        if (e.getContext() != null && e.getContextMark() != null) {
            message += " (" + e.getContext() + " started at line "
                    + (e.getContextMark().getLine() + 1) + ")";
        } else if (e.getContext() != null) {
            message += " (" + e.getContext() + ")";
        }
        return message;
    }

    /** The file name without folders, {@code .yml}/{@code .yaml} and {@code .example}. */
    static String baseName(String displayName) {
        String file = displayName.substring(displayName.lastIndexOf('/') + 1);
        file = file.replaceFirst("\\.(yml|yaml)$", "");
        return file.replaceFirst("\\.example$", "");
    }

    /** Sample values for every placeholder, with a distinct port per {@code {{port:COMPONENT}}}. */
    private static Map<String, String> sampleValues(String templateText) {
        Map<String, String> values = new LinkedHashMap<>(SAMPLE_VALUES);
        int nextPort = FIRST_SAMPLE_PORT;
        for (TemplateRenderer.Placeholder placeholder : TemplateRenderer.placeholders(templateText)) {
            if (placeholder.name().startsWith("port:") && !values.containsKey(placeholder.name())) {
                values.put(placeholder.name(), Integer.toString(nextPort++));
            }
        }
        return values;
    }
}
