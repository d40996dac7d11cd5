package org.cnx.conveyor.migrate;

import org.cnx.conveyor.environment.definition.EnvironmentDefinition.MigrationsRecipe;
import org.cnx.conveyor.migrate.engine.MigrationSet;

/** The migrations a release carries: those of the component whose recipe names a migrations folder. */
public record ReleaseMigrations(
        long releaseId, String component, String version, MigrationsRecipe recipe, MigrationSet set) {}
