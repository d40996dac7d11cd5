package org.cnx.conveyor.deploy;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnx.conveyor.environment.definition.EnvironmentDefinition;
import org.cnx.conveyor.job.RunningJob;
import org.cnx.conveyor.migrate.DeployMigrations;
import org.cnx.conveyor.migrate.Migrations;
import org.cnx.conveyor.release.ArtifactStore;
import org.cnx.conveyor.release.ReleaseService;
import org.cnx.conveyor.release.ReleaseViews.ReleaseView;
import org.cnx.conveyor.secret.SecretService;
import org.cnx.conveyor.transport.Connector;

/** What a deploy run needs from the rest of Conveyor, in one place. */
@ApplicationScoped
class DeployServices {

    private final Connector connector;
    private final SecretService secrets;
    private final ReleaseService releases;
    private final ArtifactStore artifacts;
    private final DeployCommitter committer;
    private final DeployConfig config;
    private final Migrations migrations;

    DeployServices(
            Connector connector,
            SecretService secrets,
            ReleaseService releases,
            ArtifactStore artifacts,
            DeployCommitter committer,
            DeployConfig config,
            Migrations migrations) {
        this.migrations = migrations;
        this.connector = connector;
        this.secrets = secrets;
        this.releases = releases;
        this.artifacts = artifacts;
        this.committer = committer;
        this.config = config;
    }

    Connector connector() {
        return connector;
    }

    ArtifactStore artifacts() {
        return artifacts;
    }

    DeployCommitter committer() {
        return committer;
    }

    /** The database side of a deploy of {@code release}: the release's migrations against the environment's database. */
    DeployDatabase database(RunningJob job, EnvironmentDefinition definition, ReleaseView release) {
        DeployMigrations deploy = migrations.forDeploy(job, definition, release);
        return new DeployDatabase() {
            @Override
            public Optional<String> run() {
                return deploy.run();
            }

            @Override
            public boolean changedDatabase() {
                return deploy.changedDatabase();
            }

            @Override
            public List<String> compensate() {
                return deploy.compensate();
            }

            @Override
            public void afterCommit() {
                deploy.afterCommit();
            }
        };
    }

    DeployConfig config() {
        return config;
    }

    // Job threads have no request context: every read here runs in its own short transaction.

    Optional<String> secretValue(String name) {
        return QuarkusTransaction.requiringNew().call(() -> secrets.reveal(name));
    }

    /** Replaces every {@code ${secret:NAME}} in a value by the secret (a missing one was refused before the run). */
    String resolveSecrets(String value) {
        return QuarkusTransaction.requiringNew().call(() -> secrets.resolveReferences(value));
    }

    /** Component versions of a release, by component; empty for no release. */
    Map<String, String> versionsOf(Long releaseId) {
        Map<String, String> versions = new LinkedHashMap<>();
        if (releaseId != null) {
            QuarkusTransaction.requiringNew()
                    .call(() -> releases.find(releaseId))
                    .ifPresent(r -> r.components().forEach((name, pin) -> versions.put(name, pin.version())));
        }
        return versions;
    }
}
