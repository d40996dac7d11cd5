package org.cnx.conveyor.environment;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.cnx.conveyor.environment.EnvironmentViews.SyncResult;
import org.jboss.logging.Logger;

/** Loads the definition files once at start-up, so a fresh Conveyor shows its environments at once. */
@ApplicationScoped
class DefinitionSyncOnStart {

    private static final Logger LOG = Logger.getLogger(DefinitionSyncOnStart.class);

    void onStart(@Observes @Priority(10) StartupEvent event, DefinitionSync definitions) {
        SyncResult result = definitions.sync();
        LOG.infof("Loaded %d environment(s) from %s", result.environments().size(), definitions.environmentsDir());
        result.problems().forEach(problem -> LOG.warn(problem));
    }
}
