package org.cnx.conveyor.githubdeploy;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.cnx.conveyor.cluster.OnceAcrossInstances;
import org.cnx.conveyor.environment.EnvironmentService;
import org.cnx.conveyor.preview.GitHubConfig;

/**
 * Writes GitHub deployment statuses from the jobs table: each deploy, rollback or retry-rollback of a release built
 * from a GitHub repository's commit is a deployment of that commit to the job's environment ({@code in_progress},
 * then {@code success} with the environment's link or {@code failure}); a finished teardown makes the environment's
 * latest deployment {@code inactive}. Reading the jobs rather than hooking into them keeps deploys unaware of GitHub.
 */
@ApplicationScoped
class DeploymentTracker {

    private static final List<String> DEPLOYING = List.of("deploy", "rollback", "retry-rollback");

    /** A job of the last day whose release names a repository and a commit. */
    record Deploy(
            long job,
            String type,
            String status,
            String environment,
            String kind,
            String stage,
            String repo,
            String sha) {}

    private final EntityManager entities;
    private final GitHubConfig github;
    private final GitHubDeploymentsConfig config;
    private final EnvironmentService environments;

    DeploymentTracker(
            EntityManager entities,
            GitHubConfig github,
            GitHubDeploymentsConfig config,
            EnvironmentService environments) {
        this.entities = entities;
        this.github = github;
        this.config = config;
        this.environments = environments;
    }

    @OnceAcrossInstances
    @Scheduled(
            every = "${conveyor.github-deployments.track-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void track() {
        if (!config.enabled() || github.token().filter(t -> !t.isBlank()).isEmpty()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(this::recordDeploys);
        QuarkusTransaction.requiringNew().run(this::recordTeardowns);
    }

    @SuppressWarnings("unchecked")
    void recordDeploys() {
        List<Object[]> rows =
                entities.createNativeQuery("""
                        SELECT j.id, j.type, j.status, e.name, e.kind, e.stage, r.source_repository, r.source_commit
                        FROM jobs j JOIN environments e ON e.id = j.environment_id JOIN releases r ON r.id = j.release_id
                        WHERE j.type IN (?1) AND r.source_repository IS NOT NULL AND r.source_commit IS NOT NULL
                          AND j.created_at > now() - interval '1 day'
                          AND NOT EXISTS (SELECT 1 FROM github_deployment_statuses s WHERE s.job_id = j.id
                                          AND s.state IN ('success', 'failure'))
                        ORDER BY j.id""").setParameter(1, DEPLOYING).getResultList();
        for (Object[] row : rows) {
            Deploy deploy = new Deploy(
                    ((Number) row[0]).longValue(),
                    (String) row[1],
                    (String) row[2],
                    (String) row[3],
                    (String) row[4],
                    (String) row[5],
                    (String) row[6],
                    (String) row[7]);
            long deployment = deployment(deploy);
            DeploymentState state = DeploymentState.ofJob(deploy.status());
            // Always in_progress first, even for a job that finished between two looks: GitHub shows them in order.
            status(deployment, deploy.job(), DeploymentState.IN_PROGRESS, null, description(deploy, "started"));
            if (state != DeploymentState.IN_PROGRESS) {
                status(
                        deployment,
                        deploy.job(),
                        state,
                        state == DeploymentState.SUCCESS ? environmentUrl(deploy.environment()) : null,
                        description(deploy, deploy.status().replace('_', ' ')));
            }
        }
    }

    @SuppressWarnings("unchecked")
    void recordTeardowns() {
        List<Object[]> rows = entities.createNativeQuery("""
                        SELECT j.id, (SELECT d.id FROM github_deployments d WHERE d.environment = e.name
                                      ORDER BY d.id DESC LIMIT 1)
                        FROM jobs j JOIN environments e ON e.id = j.environment_id
                        WHERE j.type = 'teardown' AND j.status = 'succeeded' AND j.created_at > now() - interval '1 day'
                          AND NOT EXISTS (SELECT 1 FROM github_deployment_statuses s WHERE s.job_id = j.id)""").getResultList();
        for (Object[] row : rows) {
            if (row[1] != null) {
                status(
                        ((Number) row[1]).longValue(),
                        ((Number) row[0]).longValue(),
                        DeploymentState.INACTIVE,
                        null,
                        "Torn down");
            }
        }
    }

    private long deployment(Deploy deploy) {
        entities.createNativeQuery("""
                        INSERT INTO github_deployments (repository, environment, sha, transient, production)
                        VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (repository, environment, sha) DO NOTHING""")
                .setParameter(1, deploy.repo())
                .setParameter(2, deploy.environment())
                .setParameter(3, deploy.sha())
                .setParameter(
                        4, deploy.kind().equals("preview") || deploy.kind().equals("personal"))
                .setParameter(5, deploy.stage().equals("production"))
                .executeUpdate();
        return ((Number) entities.createNativeQuery(
                                "SELECT id FROM github_deployments WHERE repository = ?1 AND environment = ?2 AND sha = ?3")
                        .setParameter(1, deploy.repo())
                        .setParameter(2, deploy.environment())
                        .setParameter(3, deploy.sha())
                        .getSingleResult())
                .longValue();
    }

    private void status(long deployment, long job, DeploymentState state, String environmentUrl, String description) {
        entities.createNativeQuery("""
                        INSERT INTO github_deployment_statuses
                            (deployment_id, job_id, state, environment_url, log_url, description)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (job_id, state) DO NOTHING""")
                .setParameter(1, deployment)
                .setParameter(2, job)
                .setParameter(3, state.id())
                .setParameter(4, environmentUrl)
                .setParameter(5, github.conveyorUrl().replaceAll("/+$", "") + "/jobs/" + job)
                .setParameter(6, description.length() <= 140 ? description : description.substring(0, 139) + "…")
                .executeUpdate();
    }

    private static String description(Deploy deploy, String what) {
        return deploy.type().substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                + deploy.type().substring(1) + " of "
                + deploy.sha().substring(0, Math.min(7, deploy.sha().length())) + " to " + deploy.environment() + " "
                + what + " (job " + deploy.job() + ")";
    }

    private String environmentUrl(String environment) {
        try {
            return environments.definition(environment).url().orElse(null);
        } catch (RuntimeException e) {
            return null; // an environment already gone: the status goes without a link
        }
    }
}
