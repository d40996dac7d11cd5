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
    private final KeptConnections kept;

    DeployServices(
            Connector connector,
            SecretService secrets,
            ReleaseService releases,
            ArtifactStore artifacts,
            DeployCommitter committer,
            DeployConfig config,
            Migrations migrations,
            KeptConnections kept) {
        this.migrations = migrations;
        this.kept = kept;
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

    KeptConnections kept() {
        return kept;
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

    /** The hosts and components a release would reach in the environment; empty when the release is gone. */
    Optional<Target> target(EnvironmentDefinition definition, long releaseId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> releases.find(releaseId))
                .map(release -> Target.of(definition, release));
    }

    /**
     * Whether the journal shows {@code release} still prepared on every host and component it deploys to: the job that
     * made {@code live} live replaced {@code release} (so its pruning kept that folder), and some job of this
     * environment prepared {@code release} on each of the {@code pairs} host/component pairs.
     */
    boolean stillPrepared(RunningJob job, long release, long live, int pairs) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var em = io.quarkus.hibernate.orm.panache.Panache.getEntityManager();
            List<?> replaced = em.createNativeQuery(
                            "select from_release_id from jobs where environment_id = ?1 and release_id = ?2 and type in"
                                    + " ('deploy', 'rollback') and status = 'succeeded' and id <> ?3"
                                    + " order by finished_at desc limit 1")
                    .setParameter(1, job.environmentId())
                    .setParameter(2, live)
                    .setParameter(3, job.id())
                    .getResultList();
            if (replaced.isEmpty() || replaced.get(0) == null || ((Number) replaced.get(0)).longValue() != release) {
                return false;
            }
            Number prepared = (Number) em.createNativeQuery(
                            "select count(distinct s.host || '/' || s.component) from job_steps s join jobs j on"
                                    + " j.id = s.job_id where j.environment_id = ?1 and j.release_id = ?2 and"
                                    + " s.phase = 'prepare' and s.action = 'prepare' and s.state in ('DONE', 'SKIPPED')")
                    .setParameter(1, job.environmentId())
                    .setParameter(2, release)
                    .getSingleResult();
            return prepared.intValue() >= pairs;
        });
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
