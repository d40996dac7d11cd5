package org.cnx.conveyor.preview;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
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
import org.jboss.logging.Logger;

/**
 * Sends queued commit statuses to GitHub ({@code POST /repos/{owner}/{repo}/statuses/{sha}}), oldest first. A failed
 * send is retried with a doubling delay and holds back the later ones, so GitHub receives them in order; after the
 * last attempt it is given up. Nothing here waits on or changes a deploy.
 */
@ApplicationScoped
class CommitStatusSender {

    private static final Logger LOG = Logger.getLogger(CommitStatusSender.class);

    private final GitHubConfig config;
    private final ObjectMapper json;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    CommitStatusSender(GitHubConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    @OnceAcrossInstances
    @Scheduled(every = "${conveyor.github.status-send-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendWaiting() {
        List<CommitStatus> waiting = QuarkusTransaction.requiringNew().call(() -> CommitStatus.waiting(50));
        for (CommitStatus status : waiting) {
            if (status.nextAttemptAt.isAfter(Instant.now())) {
                return;
            }
            String failure = send(status);
            QuarkusTransaction.requiringNew().run(() -> {
                CommitStatus row = CommitStatus.findById(status.id);
                if (failure == null) {
                    row.sent();
                } else {
                    row.attemptFailed(failure, config.statusAttempts(), config.statusRetryDelay());
                }
            });
            if (failure != null) {
                LOG.warnf(
                        "Commit status %s of %s for %s not reported (attempt %d): %s",
                        status.state, status.sha, status.repository, status.attempts + 1, failure);
                return;
            }
        }
    }

    /** Sends one status; returns why it failed, or null. */
    private String send(CommitStatus status) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("state", status.state);
        if (status.targetUrl != null) {
            body.put("target_url", status.targetUrl);
        }
        body.put("description", status.description);
        body.put("context", status.context);
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(config.apiUrl()
                                    .replaceAll("/+$", "") + "/repos/" + status.repository + "/statuses/" + status.sha))
                    .timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28")
                    .header("User-Agent", "Conveyor")
                    .header("Authorization", "Bearer " + config.token().orElse(""))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                return null;
            }
            String excerpt = response.body() == null ? "" : response.body().strip();
            return "GitHub answered HTTP " + response.statusCode() + ": "
                    + (excerpt.length() > 200 ? excerpt.substring(0, 200) + "…" : excerpt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException | IllegalArgumentException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
