package org.cnx.conveyor.environment.definition;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.yaml.snakeyaml.nodes.Node;

/** Checks http(s) URLs, including the demo-link pattern with its {@code {{host:ROLE}}}-style placeholders. */
final class UrlCheck {

    static final String EXPECTED = "an http(s) URL like https://staging.cnx.org/";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]*)}}");

    private UrlCheck() {}

    /** A plain http(s) URL, as used by HTTP health checks. */
    static Optional<String> plain(Node node, String path, String url, Problems problems) {
        if (!isHttpUrl(url)) {
            YamlValues.expected(problems, node, path, EXPECTED);
            return Optional.empty();
        }
        return Optional.of(url);
    }

    /** A demo-link pattern: its placeholders must name existing roles and components with ports. */
    static Optional<String> pattern(
            Node node,
            String path,
            String url,
            Collection<Host> hosts,
            Map<String, Component> components,
            Problems problems) {
        Matcher matcher = PLACEHOLDER.matcher(url);
        StringBuilder sample = new StringBuilder();
        while (matcher.find()) {
            String placeholder = matcher.group(1);
            Optional<String> problem = placeholderProblem(placeholder, hosts, components);
            if (problem.isPresent()) {
                problems.add(node, path, "expected " + problem.get() + ", found " + YamlValues.quote(matcher.group()));
                return Optional.empty();
            }
            matcher.appendReplacement(sample, placeholder.startsWith("port:") ? "1" : "sample");
        }
        matcher.appendTail(sample);
        if (!isHttpUrl(sample.toString())) {
            YamlValues.expected(problems, node, path, EXPECTED);
            return Optional.empty();
        }
        return Optional.of(url);
    }

    private static Optional<String> placeholderProblem(
            String placeholder, Collection<Host> hosts, Map<String, Component> components) {
        if (placeholder.equals("name")) {
            return Optional.empty();
        }
        if (placeholder.startsWith("host:")) {
            String role = placeholder.substring("host:".length());
            return hosts.stream().anyMatch(host -> host.roles().contains(role))
                    ? Optional.empty()
                    : Optional.of("{{host:ROLE}} to name a role some host has");
        }
        if (placeholder.startsWith("port:")) {
            Component component = components.get(placeholder.substring("port:".length()));
            return component != null
                            && component.port() != null
                            && component.port().isPresent()
                    ? Optional.empty()
                    : Optional.of("{{port:COMPONENT}} to name a component with a port");
        }
        return Optional.of("only the placeholders {{name}}, {{host:ROLE}} and {{port:COMPONENT}}");
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
