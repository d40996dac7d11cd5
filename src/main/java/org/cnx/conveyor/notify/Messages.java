package org.cnx.conveyor.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cnx.conveyor.notify.Message.Link;

/** Writes an outbox event (its CloudEvent JSON) as a message in plain words, with links into Conveyor. */
@ApplicationScoped
class Messages {

    private final ObjectMapper json;
    private final String base;

    Messages(ObjectMapper json, NotifyConfig config) {
        this.json = json;
        this.base = config.conveyorUrl().replaceAll("/+$", "");
    }

    Message of(String event) {
        JsonNode root;
        try {
            root = json.readTree(event);
        } catch (IOException e) {
            throw new IllegalArgumentException("the event is not JSON: " + e.getMessage(), e);
        }
        String type = root.path("type").asText();
        String env = root.hasNonNull("environment") ? root.get("environment").asText() : null;
        JsonNode data = root.path("data");
        List<Link> links = new ArrayList<>();
        String text = switch (type) {
            case "deploy.started" -> {
                links.add(job(data));
                yield verb(data, "Deploy") + " of release " + text(data, "release") + " to " + env + " started"
                        + by(data, "requestedBy") + ".";
            }
            case "deploy.succeeded" -> {
                links.add(job(data));
                yield "Release " + text(data, "release") + " is live on " + env
                        + (data.hasNonNull("previousRelease") ? " (was " + text(data, "previousRelease") + ")" : "")
                        + by(data, "requestedBy") + ".";
            }
            case "deploy.failed" -> {
                links.add(job(data));
                yield verb(data, "Deploy") + " of release " + text(data, "release") + " to " + env + " failed"
                        + because(data) + ". Nothing live was changed.";
            }
            case "deploy.rolled_back" -> {
                links.add(job(data));
                yield verb(data, "Deploy") + " of release " + text(data, "release") + " to " + env
                        + " was rolled back" + because(data) + ". " + env + " is back on release "
                        + text(data, "previousRelease") + ".";
            }
            case "environment.degraded" -> {
                links.add(new Link("Open " + env, base + "/environments/" + env));
                links.add(job(data));
                yield env + " is degraded: a rollback could not finish. Hosts: " + text(data, "hosts")
                        + ". Retry the rollback from its page.";
            }
            case "promotion.requested" -> {
                links.add(new Link("Review and approve", base + "/promotions/" + text(data, "promotion")));
                int required = data.path("required").asInt(0);
                yield text(data, "by") + " asks to promote release " + text(data, "release") + " to " + env
                        + (required > 0
                                ? ": " + required + " approval" + (required == 1 ? "" : "s") + " needed."
                                : ": no approval needed, it deploys now.");
            }
            case "preview.ready" -> {
                if (data.hasNonNull("url")) {
                    links.add(new Link("Open the preview", text(data, "url")));
                }
                links.add(job(data));
                yield "Preview " + env + " is ready: " + text(data, "repository") + " pull request #"
                        + text(data, "pullRequest") + " at commit " + shortCommit(text(data, "commit")) + ".";
            }
            case "freeze.started" -> {
                links.add(new Link("Freezes", base + "/freezes"));
                yield "Deploy freeze on " + env + " started: \"" + text(data, "reason") + "\". Deploys are refused"
                        + " until " + text(data, "until") + "; rollbacks are allowed.";
            }
            case "runbook.started", "runbook.succeeded", "runbook.failed" -> {
                links.add(job(data));
                String outcome = type.substring(type.indexOf('.') + 1);
                yield "Runbook " + text(data, "runbook") + " on " + env + " " + outcome + by(data, "by")
                        + (type.equals("runbook.failed") ? because(data) : "") + ".";
            }
            case "conveyor.ping" -> "Test message from Conveyor: this channel is set up.";
            default -> type + (env == null ? "" : " on " + env) + ".";
        };
        return new Message(text, links, env);
    }

    private Link job(JsonNode data) {
        return new Link("Job #" + text(data, "job"), base + "/jobs/" + text(data, "job"));
    }

    /** "Rollback" for a rollback job, the given word otherwise. */
    private static String verb(JsonNode data, String deploy) {
        String kind = data.path("kind").asText("deploy");
        return kind.contains("rollback") ? "Rollback" : deploy;
    }

    private static String by(JsonNode data, String field) {
        return data.hasNonNull(field) ? " by " + data.get(field).asText() : "";
    }

    private static String because(JsonNode data) {
        return data.hasNonNull("error") ? ": " + data.get("error").asText() : "";
    }

    private static String text(JsonNode data, String field) {
        return data.hasNonNull(field) ? data.get(field).asText() : "?";
    }

    private static String shortCommit(String commit) {
        return commit.length() > 7 ? commit.substring(0, 7) : commit;
    }
}
