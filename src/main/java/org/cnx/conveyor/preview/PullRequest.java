package org.cnx.conveyor.preview;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.cnx.conveyor.common.DomainException.Invalid;

/** The fields of a GitHub {@code pull_request} delivery that Conveyor reads, checked before use. */
public record PullRequest(
        String action,
        int number,
        String title,
        String author,
        String branch,
        String headCommit,
        String repository,
        List<String> labels) {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");

    /** Reads {@code action}, {@code number}, {@code pull_request.{title,user.login,head.ref,head.sha,labels}}, {@code repository.full_name}. */
    static PullRequest of(JsonNode body) {
        JsonNode pr = body.path("pull_request");
        List<String> labels = new ArrayList<>();
        pr.path("labels").forEach(label -> labels.add(label.path("name").asText()));
        int number = body.path("number").asInt(pr.path("number").asInt(0));
        PullRequest read = new PullRequest(
                body.path("action").asText(""),
                number,
                pr.path("title").asText(""),
                pr.path("user").path("login").asText(""),
                pr.path("head").path("ref").asText(""),
                pr.path("head").path("sha").asText(""),
                body.path("repository").path("full_name").asText(""),
                labels);
        read.check();
        return read;
    }

    private void check() {
        if (number < 1 || number > 999_999_999) {
            throw new Invalid("number: expected a pull request number, found " + number);
        }
        if (!COMMIT.matcher(headCommit).matches()) {
            throw new Invalid("pull_request.head.sha: expected a 40-digit commit id, found \"" + headCommit + "\"");
        }
        if (!REPOSITORY.matcher(repository).matches()) {
            throw new Invalid("repository.full_name: expected owner/name, found \"" + repository + "\"");
        }
        if (branch.isEmpty()) {
            throw new Invalid("pull_request.head.ref: expected the branch name, found none");
        }
    }

    /**
     * The preview's environment name: {@code pr-<repository name>-<number>} ({@code pr-webview-2}), or with the owner
     * too ({@code pr-openstax-webview-2}) when {@code qualified}, for a name another owner's repository holds already.
     */
    String environment(boolean qualified) {
        String name = repository.substring(repository.indexOf('/') + 1);
        return "pr-" + slug(qualified ? repository : name) + "-" + number;
    }

    /** Lower case, runs of anything but letters and digits as one dash, at most 40 characters. */
    private static String slug(String text) {
        String slug = text.toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        slug = slug.length() > 40 ? slug.substring(0, 40).replaceAll("-+$", "") : slug;
        return slug.isEmpty() ? "repo" : slug;
    }

    /** {@code openstax/webview#2}. */
    String name() {
        return repository + "#" + number;
    }

    String shortCommit() {
        return headCommit.substring(0, 12);
    }
}
