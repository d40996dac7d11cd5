package org.cnx.conveyor.migrate;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.migrate.engine.MigrationSet;
import org.cnx.conveyor.migrate.engine.MigrationSetException;
import org.cnx.conveyor.release.ArtifactStore;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.release.ReleaseViews.ComponentPin;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;

/** Reads the migration set out of a release's artifact, once per artifact checksum and folder. */
@ApplicationScoped
public class MigrationSets {

    private final ArtifactStore artifacts;
    private final ReleaseService releases;
    private final Map<String, MigrationSet> cache = new ConcurrentHashMap<>();

    MigrationSets(ArtifactStore artifacts, ReleaseService releases) {
        this.artifacts = artifacts;
        this.releases = releases;
    }

    /** The migrations of the release live in the environment; empty when none is live or it carries none. */
    public Optional<ReleaseMigrations> live(Environment env, EnvironmentDefinition definition) throws Unreadable {
        if (env.currentReleaseId == null) {
            return Optional.empty();
        }
        return of(definition, QuarkusTransaction.requiringNew().call(() -> releases.get(env.currentReleaseId)));
    }

    /** A set that cannot be read: the artifact is missing or its folder holds malformed file names. */
    public static class Unreadable extends Exception {
        public Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The release's migrations for this environment; empty when no component of the definition names a migrations
     * folder, or the release pins that component without an artifact.
     */
    public Optional<ReleaseMigrations> of(EnvironmentDefinition definition, ReleaseView release) throws Unreadable {
        List<Component> carriers = definition.components().values().stream().filter(c -> c.migrations().isPresent()).toList();
        if (carriers.size() > 1) {
            throw new Unreadable("components " + carriers.stream().map(Component::name).toList() + " of " + definition.name()
                    + " all name a migrations folder; one database history can follow only one of them", null);
        }
        if (carriers.isEmpty()) {
            return Optional.empty();
        }
        Component component = carriers.get(0);
        ComponentPin pin = release.components().get(component.name());
        if (pin == null || pin.artifact() == null) {
            return Optional.empty();
        }
        String folder = component.migrations().orElseThrow();
        String key = pin.artifact().sha256() + "/" + folder;
        MigrationSet set = cache.get(key);
        if (set == null) {
            try {
                set = MigrationSet.fromArchive(artifacts.local(pin.artifact()), folder);
            } catch (IOException e) {
                throw new Unreadable("cannot read the migrations of " + component.name() + " " + pin.version() + ": " + e.getMessage(), e);
            } catch (MigrationSetException e) {
                throw new Unreadable("the migrations of " + component.name() + " " + pin.version() + " in release " + release.id()
                        + " are malformed: " + e.getMessage(), e);
            }
            cache.put(key, set);
        }
        return Optional.of(new ReleaseMigrations(release.id(), component.name(), pin.version(), set));
    }
}
