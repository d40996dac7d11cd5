package org.cnx.conveyor.environment.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnx.conveyor.environment.definition.TemplateException.Issue;

/**
 * Substitutes {@code {{placeholder}}} values into a template's text; the result is parsed as a normal definition.
 *
 * <p>Every value is checked against a strict pattern first, because rendered values end up in YAML and in shell
 * commands on hosts. {@code {{host:ROLE}}} and {@code {{port:COMPONENT}}} without a value are left in place, since
 * they are also valid in a definition's demo-link {@code url}.
 */
public final class TemplateRenderer {

    /** Placeholders that need a value whenever they appear. */
    public static final List<String> SIMPLE_PLACEHOLDERS =
            List.of("name", "number", "branch", "commit", "user", "database");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]*)}}");
    private static final Pattern PARAMETERISED = Pattern.compile("(host|port):(" + DefinitionPatterns.SHORT_NAME + ")");
    private static final Map<String, Pattern> VALUE_PATTERNS = Map.of(
            "name",
            DefinitionPatterns.NAME,
            "number",
            Pattern.compile("[1-9][0-9]{0,8}"),
            "branch",
            Pattern.compile("(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9._/-]{0,199}"),
            "commit",
            Pattern.compile("[0-9a-f]{7,40}"),
            "user",
            DefinitionPatterns.USER,
            "database",
            DefinitionPatterns.EMBEDDED_DATABASE,
            "host",
            DefinitionPatterns.ADDRESS,
            "port",
            Pattern.compile("[1-9][0-9]{0,4}"));

    private TemplateRenderer() {}

    /** A placeholder occurrence: its name (e.g. {@code port:archive}) and 1-based position. */
    record Placeholder(String name, int line, int column, int start, int end) {}

    /** Renders the template, or throws listing every unknown placeholder, missing value and unsafe value. */
    public static String render(String templateText, Map<String, String> values) {
        List<Issue> issues = check(templateText, values);
        if (!issues.isEmpty()) {
            throw new TemplateException(issues);
        }
        StringBuilder out = new StringBuilder();
        int copied = 0;
        for (Placeholder placeholder : placeholders(templateText)) {
            String value = values.get(placeholder.name());
            if (value != null) {
                out.append(templateText, copied, placeholder.start()).append(value);
                copied = placeholder.end();
            }
        }
        return out.append(templateText.substring(copied)).toString();
    }

    /** The distinct {@code port:COMPONENT} and {@code host:ROLE} placeholders of a template, in text order: what a pool fills. */
    public static List<String> poolSlots(String templateText) {
        return placeholders(templateText).stream()
                .map(Placeholder::name)
                .filter(name -> PARAMETERISED.matcher(name).matches())
                .distinct()
                .toList();
    }

    /** The value of {@code {{database}}} for an environment: its name with dashes turned into underscores. */
    public static String databaseName(String environment) {
        return environment.replace('-', '_');
    }

    /** Every problem rendering would hit, in text order. */
    static List<Issue> check(String templateText, Map<String, String> values) {
        List<Issue> issues = new ArrayList<>();
        for (Placeholder placeholder : placeholders(templateText)) {
            problem(placeholder.name(), values.get(placeholder.name()))
                    .ifPresent(message -> issues.add(new Issue(placeholder.line(), placeholder.column(), message)));
        }
        return issues;
    }

    private static Optional<String> problem(String name, String value) {
        Matcher parameterised = PARAMETERISED.matcher(name);
        boolean simple = SIMPLE_PLACEHOLDERS.contains(name);
        if (!simple && !parameterised.matches()) {
            return Optional.of("unknown placeholder {{" + name + "}}, expected one of {{name}}, {{number}}, "
                    + "{{branch}}, {{commit}}, {{user}}, {{database}}, {{port:COMPONENT}}, {{host:ROLE}}");
        }
        if (value == null) {
            return simple ? Optional.of("no value given for placeholder {{" + name + "}}") : Optional.empty();
        }
        String kind = simple ? name : parameterised.group(1);
        boolean safe = VALUE_PATTERNS.get(kind).matcher(value).matches()
                && (!kind.equals("port") || Integer.parseInt(value) <= 65535);
        return safe
                ? Optional.empty()
                : Optional.of("expected a value for {{" + name + "}} matching "
                        + VALUE_PATTERNS.get(kind).pattern() + ", found " + YamlValues.quote(value));
    }

    /** All placeholders in the text, with their positions. */
    static List<Placeholder> placeholders(String text) {
        List<Placeholder> found = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        int line = 1;
        int lineStart = 0;
        int scanned = 0;
        while (matcher.find()) {
            for (; scanned < matcher.start(); scanned++) {
                if (text.charAt(scanned) == '\n') {
                    line++;
                    lineStart = scanned + 1;
                }
            }
            found.add(new Placeholder(
                    matcher.group(1).strip(), line, matcher.start() - lineStart + 1, matcher.start(), matcher.end()));
        }
        return found;
    }
}
