package org.cnx.conveyor.events;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which events a consumer wants: type patterns ({@code deploy.*}, {@code *}, or an exact type) and environments.
 * An empty environment list takes every event; a non-empty one only events of those environments.
 */
public record EventFilter(List<String> types, List<String> environments) {

    static final Pattern TYPE_PATTERN =
            Pattern.compile("^(\\*|[a-z0-9][a-z0-9_-]*(\\.[a-z0-9][a-z0-9_-]*)*(\\.\\*)?)$");

    public static final EventFilter ALL = new EventFilter(List.of("*"), List.of());

    public EventFilter {
        types = types == null || types.isEmpty() ? List.of("*") : List.copyOf(types);
        environments = environments == null ? List.of() : List.copyOf(environments);
    }

    /** Parses comma-separated query parameters; blank means "any". */
    public static EventFilter parse(String types, String environments) {
        return new EventFilter(split(types), split(environments));
    }

    public boolean matches(String type, String environment) {
        if (!environments.isEmpty() && (environment == null || !environments.contains(environment))) {
            return false;
        }
        return types.stream().anyMatch(pattern -> typeMatches(pattern, type));
    }

    public boolean matches(StoredEvent event) {
        return matches(event.type, event.environment);
    }

    static boolean typeMatches(String pattern, String type) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith(".*")) {
            return type.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(type);
    }

    /** The first pattern that is not a valid type pattern, if any. */
    public Optional<String> invalidPattern() {
        return types.stream().filter(p -> !TYPE_PATTERN.matcher(p).matches()).findFirst();
    }

    private static List<String> split(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
