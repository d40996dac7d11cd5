package org.cnx.conveyor.migrate;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.cnx.conveyor.environment.Environment;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Component;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.MigrationsRecipe;
import org.cnx.conveyor.migrate.engine.MigrationSet;
import org.cnx.conveyor.migrate.engine.MigrationSetException;
import org.cnx.conveyor.release.ArtifactStore;
import org.cnx.conveyor.release.ArtifactsConfig;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.release.ReleaseViews.ComponentPin;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;

/**
 * Reads the migration set out of a release's artifact, once per artifact checksum and folder (a set that cannot be
 * read is remembered too, so a hostile artifact costs one read, not one per page view). Jobs may download the
 * artifact ({@link #of}); everything else reads only what is already on Conveyor's machine ({@link #known}).
 */
@ApplicationScoped
public class MigrationSets {

    private final ArtifactStore artifacts;
    private final ReleaseService releases;
    private final MigrationSet.Limits limits;
    private final Map<String, Object> cache = new ConcurrentHashMap<>();

    MigrationSets(ArtifactStore artifacts, ReleaseService releases, ArtifactsConfig config) {
        this.artifacts = artifacts;
        this.releases = releases;
        this.limits = new MigrationSet.Limits(config.maxEntrySize(), config.maxReadSize(), config.maxUnpackedSize());
    }

    /** The migrations of the release live in the environment; empty when none is live or it carries none. */
    public Optional<ReleaseMigrations> live(Environment env, EnvironmentDefinition definition) throws Unreadable {
        if (env.currentReleaseId == null) {
            return Optional.empty();
        }
        return known(definition, QuarkusTransaction.requiringNew().call(() -> releases.get(env.currentReleaseId)));
    }

    /** A set that cannot be read: the artifact is missing or its folder holds malformed file names. */
    public static class Unreadable extends Exception {
        public Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A set not known yet: its artifact is a URL no job has downloaded so far. */
    public static final class NotFetched extends Unreadable {
        private final String component;

        NotFetched(String component) {
            super("determined when the deploy job fetches the artifact of " + component, null);
            this.component = component;
        }

        public String component() {
            return component;
        }
    }

    /** Like {@link #of}, without downloading: a URL artifact no job fetched yet is {@link NotFetched}. */
    public Optional<ReleaseMigrations> known(EnvironmentDefinition definition, ReleaseView release) throws Unreadable {
        return read(definition, release, false);
    }

    /**
     * The release's migrations for this environment; empty when no component of the definition names a migrations
     * folder, or the release pins that component without an artifact.
     */
    public Optional<ReleaseMigrations> of(EnvironmentDefinition definition, ReleaseView release) throws Unreadable {
        return read(definition, release, true);
    }

    private Optional<ReleaseMigrations> read(EnvironmentDefinition definition, ReleaseView release, boolean fetch)
            throws Unreadable {
        List<Component> carriers = definition.components().values().stream()
                .filter(c -> c.migrations().isPresent())
                .toList();
        if (carriers.size() > 1) {
            throw new Unreadable(
                    "components " + carriers.stream().map(Component::name).toList() + " of " + definition.name()
                            + " all name a migrations folder; one database history can follow only one of them",
                    null);
        }
        if (carriers.isEmpty()) {
            return Optional.empty();
        }
        Component component = carriers.get(0);
        ComponentPin pin = release.components().get(component.name());
        if (pin == null || pin.artifact() == null) {
            return Optional.empty();
        }
        MigrationsRecipe recipe = component.migrations().orElseThrow();
        String folder = recipe.folder();
        String key =
                pin.artifact().sha256() + "/" + folder + "/" + recipe.format().id() + "/" + recipe.support();
        Object cached = cache.get(key);
        if (cached == null) {
            Path archive;
            try {
                Optional<Path> here = artifacts.present(pin.artifact());
                if (here.isEmpty() && !fetch) {
                    throw new NotFetched(component.name() + " " + pin.version());
                }
                archive = here.isPresent() ? here.get() : artifacts.fetch(pin.artifact());
            } catch (IOException e) {
                // Not remembered: the artifact may be reachable, or fixed on disk, later.
                throw new Unreadable(
                        "cannot read the migrations of " + component.name() + " " + pin.version() + ": "
                                + e.getMessage(),
                        e);
            }
            cached = readArchive(archive, recipe, component, pin, release);
            cache.put(key, cached);
        }
        if (cached instanceof Unreadable unreadable) {
            throw unreadable;
        }
        return Optional.of(
                new ReleaseMigrations(release.id(), component.name(), pin.version(), recipe, (MigrationSet) cached));
    }

    private Object readArchive(
            Path archive, MigrationsRecipe recipe, Component component, ComponentPin pin, ReleaseView release) {
        try {
            return MigrationSet.fromArchive(
                    archive, recipe.folder(), limits, new MigrationSet.Source(recipe.format(), recipe.support()));
        } catch (IOException e) {
            return new Unreadable(
                    "cannot read the migrations of " + component.name() + " " + pin.version() + ": " + e.getMessage(),
                    e);
        } catch (MigrationSetException e) {
            return new Unreadable(
                    "the migrations of " + component.name() + " " + pin.version() + " in release " + release.id()
                            + " are malformed: " + e.getMessage(),
                    e);
        }
    }
}
