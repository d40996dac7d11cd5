package org.cnx.conveyor.migrate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.EnvironmentViews.EnvironmentSummary;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.migrate.engine.MigrationScript;
import org.cnx.conveyor.migrate.engine.MigrationSet;
import org.cnx.conveyor.release.MigrationChanges;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;

/**
 * The migrations a release adds or removes compared with another, read as a deploy would read them: through the
 * recipe of the first environment (by name) whose migrations component either release pins, and only from artifacts
 * already on Conveyor's machine (a page never downloads one).
 */
@ApplicationScoped
class ReleaseMigrationChanges implements MigrationChanges {

    private final EnvironmentService environments;
    private final MigrationSets sets;

    ReleaseMigrationChanges(EnvironmentService environments, MigrationSets sets) {
        this.environments = environments;
        this.sets = sets;
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Changes> between(ReleaseView from, ReleaseView to) {
        for (EnvironmentSummary env : environments.list()) {
            EnvironmentDefinition definition = environments.definition(env.name());
            Optional<Component> carrier = definition.components().values().stream()
                    .filter(c -> c.migrations().isPresent())
                    .filter(c -> from.components().containsKey(c.name())
                            || to.components().containsKey(c.name()))
                    .findFirst();
            if (carrier.isPresent()) {
                Component component = carrier.get();
                String source = "the recipe of " + env.name() + ": component " + component.name() + ", folder "
                        + component.migrations().orElseThrow().folder();
                return Optional.of(compare(definition, from, to, source));
            }
        }
        return Optional.empty();
    }

    private Changes compare(EnvironmentDefinition definition, ReleaseView from, ReleaseView to, String source) {
        try {
            Map<String, String> before = labels(sets.known(definition, from));
            Map<String, String> after = labels(sets.known(definition, to));
            List<String> added = new ArrayList<>();
            after.forEach((key, label) -> {
                if (!before.containsKey(key)) {
                    added.add(label);
                }
            });
            List<String> removed = new ArrayList<>();
            before.forEach((key, label) -> {
                if (!after.containsKey(key)) {
                    removed.add(label);
                }
            });
            return new Changes(source, added, removed, null);
        } catch (MigrationSets.Unreadable e) {
            return new Changes(source, List.of(), List.of(), e.getMessage());
        }
    }

    /** Versioned and deferred scripts by version (their identity in the database's history), in the set's order. */
    private static Map<String, String> labels(Optional<ReleaseMigrations> migrations) {
        MigrationSet set = migrations.map(ReleaseMigrations::set).orElse(MigrationSet.empty());
        Map<String, String> labels = new LinkedHashMap<>();
        List<MigrationScript> scripts = new ArrayList<>(set.versioned());
        scripts.addAll(set.deferred());
        scripts.forEach(s -> labels.put(
                s.kind() + " " + s.version(),
                s.label() + (s.kind() == MigrationScript.Kind.DEFERRED ? " (deferred)" : "")));
        return labels;
    }
}
