package org.cnx.conveyor.deploy;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cnx.conveyor.environment.EnvironmentLifecycle;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.DatabaseRef;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition.Host;
import org.cnx.conveyor.job.JobHandler;
import org.cnx.conveyor.job.JobSecrets;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.Phase;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.migrate.ConveyorServer;
import org.cnx.conveyor.transport.HostConnection;
import org.cnx.conveyor.transport.TransportException;

/**
 * Runs {@code teardown} jobs: on every host, stops each component's live release and removes the environment's root;
 * drops its embedded database; then, in one transaction, ends the job and removes the environment (which frees its pool
 * allocations). Every step is idempotent, so a recovered teardown simply runs again.
 */
@ApplicationScoped
class TeardownHandler implements JobHandler {

    private final EnvironmentService environments;
    private final EnvironmentLifecycle lifecycle;
    private final DeployServices services;
    private final JobSecrets secrets;
    private final ConveyorServer server;

    TeardownHandler(
            EnvironmentService environments,
            EnvironmentLifecycle lifecycle,
            DeployServices services,
            JobSecrets secrets,
            ConveyorServer server) {
        this.environments = environments;
        this.lifecycle = lifecycle;
        this.services = services;
        this.secrets = secrets;
        this.server = server;
    }

    @Override
    public Set<JobType> types() {
        return EnumSet.of(JobType.TEARDOWN);
    }

    @Override
    public void recover(RunningJob job) {
        job.log().info("recovering: the Conveyor running this teardown stopped; running it again");
        run(job);
    }

    @Override
    public void run(RunningJob job) {
        EnvironmentDefinition definition =
                QuarkusTransaction.requiringNew().call(() -> environments.definition(job.environment()));
        secrets.mask(job, definition);
        job.journal().phase(job.id(), Phase.TEARDOWN);
        for (Host host : definition.hosts()) {
            Optional<String> failure = teardownHost(job, definition, host);
            if (failure.isPresent()) {
                fail(
                        job,
                        "host " + host.name() + ": " + failure.get()
                                + "; run the teardown again once the host is reachable");
                return;
            }
        }
        Optional<String> database = definition.database().flatMap(DatabaseRef::embedded);
        if (database.isPresent()) {
            long step = job.journal().begin(job.id(), Phase.TEARDOWN, "*", "*", "drop-database", database.get());
            try {
                server.dropEmbedded(database.get());
                job.journal().done(job.id(), step, "dropped");
                job.log().info("dropped database " + database.get());
            } catch (SQLException e) {
                job.journal().failed(job.id(), step, e.getMessage());
                fail(job, "cannot drop database " + database.get() + ": " + e.getMessage());
                return;
            }
        }
        job.log().info("succeeded: environment " + job.environment() + " is removed");
        job.finish(j -> {
            j.succeed();
            lifecycle.destroy(job.environmentId(), job.id());
        });
    }

    private Optional<String> teardownHost(RunningJob job, EnvironmentDefinition definition, Host host) {
        long step = job.journal().begin(job.id(), Phase.TEARDOWN, host.name(), "*", "remove", null);
        try (HostConnection connection = services.connector().connect(host.endpoint(), services::secretValue)) {
            HostLayout layout = new HostLayout(HostPool.root(host));
            HostTeardown teardown = new HostTeardown(job, definition, host, layout, connection, services);
            List<String> stopped = teardown.stopAndRemove();
            job.journal()
                    .done(
                            job.id(),
                            step,
                            stopped.isEmpty() ? "nothing was running" : "stopped " + String.join(", ", stopped));
            return Optional.empty();
        } catch (TransportException e) {
            job.journal().failed(job.id(), step, e.getMessage());
            job.log().info(host.name(), null, "failed: " + e.getMessage());
            return Optional.of(e.getMessage());
        }
    }

    private static void fail(RunningJob job, String why) {
        job.log().info("failed: " + why);
        job.finish(j -> j.fail(why));
    }
}
