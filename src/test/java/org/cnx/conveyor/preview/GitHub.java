package org.cnx.conveyor.preview;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Sends webhook deliveries as GitHub does: the event and delivery headers, and the body signed with the secret. */
final class GitHub {

    static final String SECRET = "It's a Secret to Everybody";

    private GitHub() {}

    static Response deliver(String event, String body) {
        return deliver(event, UUID.randomUUID().toString(), body);
    }

    static Response deliver(String event, String delivery, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return given().header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", WebhookSignature.sign(SECRET, bytes))
                .header("User-Agent", "GitHub-Hookshot/test")
                .contentType("application/json")
                .body(bytes)
                .post("/hooks/github");
    }

    /**
     * A delivery as GitHub sends it with its default content type: {@code application/x-www-form-urlencoded}, the
     * event's JSON in the field {@code payload}, the signature over that form body.
     */
    static Response deliverForm(String event, String delivery, String json) {
        String form = "payload=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
        byte[] bytes = form.getBytes(StandardCharsets.US_ASCII);
        // As GitHub sends it: no charset parameter, and the body exactly as signed.
        return given().config(RestAssured.config()
                        .encoderConfig(EncoderConfig.encoderConfig()
                                .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", WebhookSignature.sign(SECRET, bytes))
                .header("User-Agent", "GitHub-Hookshot/test")
                .contentType("application/x-www-form-urlencoded")
                .body(form)
                .post("/hooks/github");
    }

    /** A {@code pull_request} delivery of {@code openstax/cnx}. */
    static String pullRequest(String action, int number, String branch, String sha, String... labels) {
        return pullRequest("openstax/cnx", action, number, branch, sha, labels);
    }

    /** A {@code pull_request} delivery with the fields GitHub sends (and Conveyor reads), trimmed of the rest. */
    static String pullRequest(
            String repository, String action, int number, String branch, String sha, String... labels) {
        StringBuilder labelJson = new StringBuilder();
        for (String label : labels) {
            labelJson
                    .append(labelJson.length() == 0 ? "" : ",")
                    .append("{\"id\":1,\"name\":\"")
                    .append(label)
                    .append("\",\"color\":\"0e8a16\",\"default\":false}");
        }
        return """
                {
                  "action": "%1$s",
                  "number": %2$d,
                  "pull_request": {
                    "url": "https://api.github.com/repos/openstax/cnx/pulls/%2$d",
                    "id": 10%2$d,
                    "html_url": "https://github.com/openstax/cnx/pull/%2$d",
                    "number": %2$d,
                    "state": "%5$s",
                    "locked": false,
                    "title": "Render module titles in bold (#%2$d)",
                    "user": {"login": "octocat", "id": 583231, "type": "User"},
                    "body": "Makes titles stand out.",
                    "labels": [%6$s],
                    "merged": false,
                    "head": {
                      "label": "openstax:%3$s",
                      "ref": "%3$s",
                      "sha": "%4$s",
                      "repo": {"id": 1296269, "name": "cnx", "full_name": "openstax/cnx"}
                    },
                    "base": {
                      "label": "openstax:main",
                      "ref": "main",
                      "sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e",
                      "repo": {"id": 1296269, "name": "cnx", "full_name": "openstax/cnx"}
                    }
                  },
                  "repository": {"id": 1296269, "name": "cnx", "full_name": "openstax/cnx", "private": false,
                    "owner": {"login": "openstax", "id": 1, "type": "Organization"}},
                  "sender": {"login": "octocat", "id": 583231, "type": "User"}
                }
                """.formatted(action, number, branch, sha, action.equals("closed") ? "closed" : "open", labelJson)
                .replace("openstax/cnx", repository)
                .replace("\"name\": \"cnx\"", "\"name\": \"" + repository.substring(repository.indexOf('/') + 1) + "\"")
                .replace("openstax:", repository.substring(0, repository.indexOf('/')) + ":");
    }

    /** A {@code push} delivery of {@code openstax/cnx}. */
    static String push(String branch, String before, String after) {
        return push("openstax/cnx", branch, before, after);
    }

    /** A {@code push} delivery. */
    static String push(String repository, String branch, String before, String after) {
        return """
                {
                  "ref": "refs/heads/%1$s",
                  "before": "%2$s",
                  "after": "%3$s",
                  "created": false,
                  "deleted": false,
                  "forced": false,
                  "compare": "https://github.com/openstax/cnx/compare/%2$s...%3$s",
                  "commits": [{"id": "%3$s", "message": "Bold titles", "timestamp": "2026-11-28T10:12:44-05:00",
                               "author": {"name": "Octo Cat"}}],
                  "head_commit": {"id": "%3$s", "tree_id": "%3$s", "distinct": true, "message": "Bold titles",
                                  "timestamp": "2026-11-28T10:12:44-05:00",
                                  "url": "https://github.com/openstax/cnx/commit/%3$s",
                                  "author": {"name": "Octo Cat", "email": "octocat@github.com", "username": "octocat"},
                                  "committer": {"name": "GitHub", "email": "noreply@github.com", "username": "web-flow"},
                                  "added": [], "removed": [], "modified": ["README.md"]},
                  "repository": {"id": 1296269, "name": "cnx", "full_name": "openstax/cnx"},
                  "pusher": {"name": "octocat"},
                  "sender": {"login": "octocat", "id": 583231}
                }
                """.formatted(branch, before, after).replace("openstax/cnx", repository).replace(
                "\"name\": \"cnx\"", "\"name\": \"" + repository.substring(repository.indexOf('/') + 1) + "\"");
    }

    /** A 40-digit commit id made from a seed, distinct per seed. */
    static String sha(int seed) {
        return String.format("%040x", 0xabc0000L + seed);
    }
}
