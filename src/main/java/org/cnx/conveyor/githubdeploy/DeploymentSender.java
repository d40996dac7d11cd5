package org.cnx.conveyor.githubdeploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnx.conveyor.cluster.OnceAcrossInstances;
import org.cnx.conveyor.preview.GitHubConfig;
import org.jboss.logging.Logger;

/**
 * Sends waiting deployment statuses to GitHub, oldest first: the deployment itself is created by its first status
 * ({@code POST /repos/{repo}/deployments}, its id kept), then each status is posted to it. A failed send is retried
 * with a doubling delay and holds back the later ones, as commit statuses are, so GitHub receives them in order.
 */
@ApplicationScoped
class DeploymentSender {

    private static final Logger LOG = Logger.getLogger(DeploymentSender.class);

    /** A status waiting to be sent, with what its deployment needs to be created. */
    record Waiting(
            long id,
            long deployment,
            Long githubId,
            String repository,
            String environment,
            String sha,
            boolean transientEnvironment,
            boolean production,
            String state,
            String environmentUrl,
            String logUrl,
            String description,
            int attempts,
            Instant nextAttemptAt) {}

    private final GitHubConfig github;
    private final EntityManager entities;
    private final ObjectMapper json;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    DeploymentSender(GitHubConfig github, EntityManager entities, ObjectMapper json) {
        this.github = github;
        this.entities = entities;
        this.json = json;
    }

    @OnceAcrossInstances
    @Scheduled(
            every = "${conveyor.github-deployments.send-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendWaiting() {
        // In order per deployment: a status that waits for its retry holds back the later ones of its own deployment
        // only, never another deployment's.
        java.util.Set<Long> heldBack = new java.util.HashSet<>();
        for (Waiting status : QuarkusTransaction.requiringNew().call(this::waiting)) {
            if (heldBack.contains(status.deployment())) {
                continue;
            }
            if (status.nextAttemptAt().isAfter(Instant.now())) {
                heldBack.add(status.deployment());
                continue;
            }
            String failure;
            try {
                long githubId = status.githubId() != null ? status.githubId() : create(status);
                failure =
                        post("/repos/" + status.repository() + "/deployments/" + githubId + "/statuses", body(status));
            } catch (Failed e) {
                failure = e.getMessage();
            }
            String why = failure;
            QuarkusTransaction.requiringNew().run(() -> outcome(status, why));
            if (failure != null) {
                LOG.warnf(
                        "Deployment status %s of %s to %s not reported (attempt %d): %s",
                        status.state(), status.sha(), status.environment(), status.attempts() + 1, failure);
                heldBack.add(status.deployment());
            }
        }
    }

    /** Creates the GitHub deployment and keeps its id, so a retry of its status does not create another. */
    private long create(Waiting status) throws Failed {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ref", status.sha());
        body.put("environment", status.environment());
        body.put("description", "Conveyor deploy to " + status.environment());
        body.put("auto_merge", false);
        body.put("required_contexts", List.of());
        body.put("transient_environment", status.transientEnvironment());
        body.put("production_environment", status.production());
        HttpResponse<String> response = send("/repos/" + status.repository() + "/deployments", body);
        long id;
        try {
            JsonNode created = json.readTree(response.body());
            id = created.path("id").asLong(-1);
        } catch (IOException e) {
            id = -1;
        }
        if (id < 0) {
            throw new Failed("GitHub's answer to the deployment's creation has no id");
        }
        long githubId = id;
        QuarkusTransaction.requiringNew()
                .run(() -> entities.createNativeQuery("UPDATE github_deployments SET github_id = ?1 WHERE id = ?2")
                        .setParameter(1, githubId)
                        .setParameter(2, status.deployment())
                        .executeUpdate());
        return githubId;
    }

    private static Map<String, Object> body(Waiting status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", status.state());
        if (status.environmentUrl() != null) {
            body.put("environment_url", status.environmentUrl());
        }
        body.put("log_url", status.logUrl());
        body.put("description", status.description());
        body.put("environment", status.environment());
        body.put("auto_inactive", true);
        return body;
    }

    private String post(String path, Map<String, Object> body) {
        try {
            send(path, body);
            return null;
        } catch (Failed e) {
            return e.getMessage();
        }
    }

    private HttpResponse<String> send(String path, Map<String, Object> body) throws Failed {
        try {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(github.apiUrl().replaceAll("/+$", "") + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28")
                    .header("User-Agent", "Conveyor")
                    .header("Authorization", "Bearer " + github.token().orElse(""))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                String excerpt = response.body() == null ? "" : response.body().strip();
                throw new Failed("GitHub answered HTTP " + response.statusCode() + ": "
                        + (excerpt.length() > 200 ? excerpt.substring(0, 200) + "…" : excerpt));
            }
            return response;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException | IllegalArgumentException e) {
            throw new Failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted");
        }
    }

    private void outcome(Waiting status, String failure) {
        if (failure == null) {
            entities.createNativeQuery("UPDATE github_deployment_statuses SET status = 'sent', attempts = attempts + 1,"
                            + " sent_at = now(), last_error = NULL WHERE id = ?1")
                    .setParameter(1, status.id())
                    .executeUpdate();
            return;
        }
        int attempts = status.attempts() + 1;
        boolean dead = attempts >= github.statusAttempts();
        Instant next = Instant.now().plus(github.statusRetryDelay().multipliedBy(1L << Math.min(attempts - 1, 16)));
        entities.createNativeQuery("UPDATE github_deployment_statuses SET attempts = ?2, last_error = ?3,"
                        + " status = ?4, next_attempt_at = ?5 WHERE id = ?1")
                .setParameter(1, status.id())
                .setParameter(2, attempts)
                .setParameter(3, failure)
                .setParameter(4, dead ? "dead" : "pending")
                .setParameter(5, next)
                .executeUpdate();
    }

    @SuppressWarnings("unchecked")
    List<Waiting> waiting() {
        List<Object[]> rows = entities.createNativeQuery("""
                        SELECT s.id, d.id, d.github_id, d.repository, d.environment, d.sha, d.transient, d.production,
                               s.state, s.environment_url, s.log_url, s.description, s.attempts, s.next_attempt_at
                        FROM github_deployment_statuses s JOIN github_deployments d ON d.id = s.deployment_id
                        WHERE s.status = 'pending' AND s.next_attempt_at <= now()
                          AND NOT EXISTS (SELECT 1 FROM github_deployment_statuses e WHERE e.deployment_id = s.deployment_id
                                          AND e.status = 'pending' AND e.id < s.id)
                        ORDER BY s.id LIMIT 50""").getResultList();
        return rows.stream()
                .map(r -> new Waiting(
                        ((Number) r[0]).longValue(),
                        ((Number) r[1]).longValue(),
                        r[2] == null ? null : ((Number) r[2]).longValue(),
                        (String) r[3],
                        (String) r[4],
                        (String) r[5],
                        (Boolean) r[6],
                        (Boolean) r[7],
                        (String) r[8],
                        (String) r[9],
                        (String) r[10],
                        (String) r[11],
                        ((Number) r[12]).intValue(),
                        instant(r[13])))
                .toList();
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }

    /** A request GitHub did not accept; the message says why. */
    private static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }
}
