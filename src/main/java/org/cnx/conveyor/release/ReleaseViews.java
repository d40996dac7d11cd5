package org.cnx.conveyor.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shapes in which releases travel through the API and pages. */
public final class ReleaseViews {

    private ReleaseViews() {}

    /** Where a component's artifact comes from: a URL, a path on Conveyor's machine, or an upload (only the checksum). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Artifact(String url, String path, String sha256) {}

    /** One component of a release; without an artifact, the recipe installs the version by itself. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ComponentPin(String version, Artifact artifact) {}

    /**
     * What produced a release: a commit of a branch, of {@code repository} ({@code owner/name}); a pull request number
     * marks a release built from a pull request's head, which no promotion gate lets through.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(String branch, String commit, Integer pullRequest, String repository, Instant committedAt) {

        public Source(String branch, String commit, Integer pullRequest, String repository) {
            this(branch, commit, pullRequest, repository, null);
        }

        public Source(String branch, String commit, Integer pullRequest) {
            this(branch, commit, pullRequest, null, null);
        }

        /** True for a release built from a pull request (not yet merged when it was built). */
        public boolean fromPullRequest() {
            return pullRequest != null;
        }

        /** {@code openstax/webview#2}, or {@code #2} when the repository is not known. */
        public String pullRequestName() {
            return (repository == null ? "" : repository) + "#" + pullRequest;
        }
    }

    /** The body of {@code POST /api/releases}. */
    public record NewRelease(Map<String, ComponentPin> components, String notes, Source source) {}

    /** A release as the API returns it. */
    public record ReleaseView(
            long id,
            Instant createdAt,
            String createdBy,
            String notes,
            Source source,
            Map<String, ComponentPin> components) {

        static ReleaseView of(Release release) {
            Map<String, ComponentPin> pins = new LinkedHashMap<>();
            for (ReleaseComponent c : release.components) {
                Artifact artifact = c.sha256 == null ? null : new Artifact(c.artifactUrl, c.artifactPath, c.sha256);
                pins.put(c.name, new ComponentPin(c.version, artifact));
            }
            Source source = release.sourceBranch == null
                            && release.sourceCommit == null
                            && release.sourcePullRequest == null
                            && release.sourceRepository == null
                    ? null
                    : new Source(
                            release.sourceBranch,
                            release.sourceCommit,
                            release.sourcePullRequest,
                            release.sourceRepository,
                            release.sourceCommittedAt);
            return new ReleaseView(release.id, release.createdAt, release.createdBy, release.notes, source, pins);
        }

        /** True when the release was built from a pull request: not a candidate for promotion. */
        public boolean fromPullRequest() {
            return source != null && source.fromPullRequest();
        }

        /** Components as a list, for templates. */
        public List<Map.Entry<String, ComponentPin>> componentList() {
            return List.copyOf(components.entrySet());
        }
    }

    /** How one component differs between two releases. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ComponentChange(String name, String change, ComponentPin from, ComponentPin to) {}

    /** What changes when going from release {@code from} to release {@code to}. */
    public record ReleaseDiff(long from, long to, List<ComponentChange> components) {

        public long changedCount() {
            return components.stream()
                    .filter(c -> !c.change().equals("unchanged"))
                    .count();
        }
    }
}
