package org.cnx.conveyor.notify;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Set;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.events.StageDirectory;

/** Tells the outbox which environments a channel's stages hold now, so a new environment of a stage is included. */
@ApplicationScoped
class EnvironmentStages implements StageDirectory {

    private final EnvironmentService environments;

    EnvironmentStages(EnvironmentService environments) {
        this.environments = environments;
    }

    @Override
    public Set<String> environmentsIn(Collection<String> stages) {
        return QuarkusTransaction.joiningExisting().call(() -> environments.namesInStages(stages));
    }
}
