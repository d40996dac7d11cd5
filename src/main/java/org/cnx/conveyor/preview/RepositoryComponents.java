package org.cnx.conveyor.preview;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The repository → component map ({@code conveyor.github.components}): which components a repository builds. */
@ApplicationScoped
class RepositoryComponents {

    /** The value of a repository whose build makes the whole release (the repository of the whole site). */
    static final String WHOLE = "*";

    private final Map<String, String> map;

    RepositoryComponents(GitHubConfig config) {
        this.map = config.components();
    }

    /**
     * The components {@code repository} builds: empty when the map is empty or maps it to {@code *} (its build makes
     * the whole release);
     * {@link Optional#empty()} when the map lists other repositories only (its deliveries are ignored).
     */
    Optional<List<String>> of(String repository) {
        if (map.isEmpty()) {
            return Optional.of(List.of());
        }
        return map.entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(repository.toLowerCase(Locale.ROOT)))
                .findFirst()
                .map(e -> e.getValue().strip().equals(WHOLE)
                        ? List.of()
                        : Arrays.stream(e.getValue().split(","))
                                .map(String::strip)
                                .filter(c -> !c.isEmpty())
                                .toList());
    }

    /** Why a delivery of {@code repository} is ignored. */
    String ignored(String repository) {
        return "ignored: repository " + repository + " builds no component (conveyor.github.components lists "
                + String.join(", ", map.keySet()) + ")";
    }
}
