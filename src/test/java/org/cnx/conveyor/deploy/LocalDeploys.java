package org.cnx.conveyor.deploy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.cnx.conveyor.deploy.DeployRecoveryTest.MemoryDatabase;
import org.cnx.conveyor.deploy.DeployRecoveryTest.Timeouts;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.job.JobType;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.release.ReleaseViews.ComponentPin;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;
import org.cnx.conveyor.transport.Connector;
import org.cnx.conveyor.transport.LocalConnection;

/**
 * Runs the real deploy engine against local hosts, with the job, its journal and the database side in memory: release
 * {@code N} pins every named component at version {@code N.0}, without artifacts.
 */
final class LocalDeploys extends DeployServices {

    final MemoryDatabase database = new MemoryDatabase();
    /** The database side the next deploys get; the memory one unless a test puts another. */
    DeployDatabase databaseSide = database;
    /** The notes of the releases deployed next ({@code [maintenance]} asks for maintenance mode). */
    String notes;

    private final String[] components;

    LocalDeploys(String... components) {
        this(new Timeouts(), components);
    }

    /** With the default host parallelism of a real Conveyor (16), as the benchmark measures. */
    static LocalDeploys withDefaultParallelism(String... components) {
        return new LocalDeploys(
                new Timeouts() {
                    @Override
                    public int parallelism() {
                        return 16;
                    }
                },
                components);
    }

    private LocalDeploys(DeployConfig config, String... components) {
        this((endpoint, secrets) -> new LocalConnection(endpoint.host()), config, components);
    }

    /** Reaching hosts through {@code connector} (e.g. one that counts execs). */
    LocalDeploys(Connector connector, DeployConfig config, String... components) {
        super(connector, null, null, null, new MemoryCommitter(), config, null, new KeptConnections(config));
        this.components = components;
    }

    /** Deploys release {@code release} over {@code from} (null: nothing live) and returns the finished job. */
    MemoryJob deploy(EnvironmentDefinition definition, long release, Long from) {
        MemoryJob job = new MemoryJob(release, from);
        new DeployRun(job, Target.of(definition, view(release)), this).run();
        return job;
    }

    /** Rolls back from {@code live} to {@code release}; {@link #stillPrepared} is what the journal query would say. */
    MemoryJob rollback(EnvironmentDefinition definition, long release, long live) {
        MemoryJob job = new MemoryJob(JobType.ROLLBACK, release, live);
        new DeployRun(job, Target.of(definition, view(release)), this).run();
        return job;
    }

    /** What the journal says of the release a rollback goes back to (the database query is tested with the demo). */
    boolean journalSaysPrepared = true;

    @Override
    boolean stillPrepared(RunningJob job, long release, long live, int pairs) {
        return journalSaysPrepared;
    }

    @Override
    Optional<Target> target(EnvironmentDefinition definition, long releaseId) {
        return Optional.of(Target.of(definition, view(releaseId)));
    }

    /** Finishes a job as a restarted Conveyor does, from what its journal says. */
    void recover(EnvironmentDefinition definition, MemoryJob job, long release) {
        new DeployRun(job, Target.of(definition, view(release)), this).recover();
    }

    ReleaseView view(long release) {
        Map<String, ComponentPin> pins = new java.util.LinkedHashMap<>();
        for (String component : components) {
            pins.put(component, new ComponentPin(release + ".0", null));
        }
        return new ReleaseView(release, Instant.now(), "ada", notes, null, pins);
    }

    /** Commits into the job's memory journal; a degraded end only marks the job. */
    static final class MemoryCommitter extends DeployCommitter {
        MemoryCommitter() {
            super(null, null, null);
        }

        @Override
        void commit(RunningJob job, long releaseId) {
            job.journal().committed(job.id());
        }

        @Override
        void markDegraded(RunningJob job, String why, String hostStates) {
            job.finish(j -> j.markDegraded(why));
        }
    }

    @Override
    Optional<String> secretValue(String name) {
        return Optional.empty();
    }

    @Override
    String resolveSecrets(String value) {
        return value;
    }

    @Override
    Map<String, String> versionsOf(Long releaseId) {
        Map<String, String> versions = new java.util.LinkedHashMap<>();
        if (releaseId != null) {
            for (String component : components) {
                versions.put(component, releaseId + ".0");
            }
        }
        return versions;
    }

    @Override
    DeployDatabase database(RunningJob job, EnvironmentDefinition definition, ReleaseView release) {
        return databaseSide;
    }
}
