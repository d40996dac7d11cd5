package org.cnx.conveyor.preview;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.cnx.conveyor.release.ReleaseViews.Source;

/** What a build job builds (a commit of a repository, perhaps a pull request's head) and what came of it. */
@Entity
@Table(name = "builds")
public class Build extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "job_id", nullable = false)
    public Long jobId;

    @Column(nullable = false)
    public String repository;

    @Column(name = "commit_sha", nullable = false)
    public String commit;

    @Column(nullable = false)
    public String branch;

    @Column(name = "pull_request")
    public Integer pullRequest;

    /** When the commit was made, when the event that asked for the build said so (a push does). */
    @Column(name = "committed_at")
    public Instant committedAt;

    /** Comma-separated components taken from the build's output; null takes every one it prints. */
    String components;

    /** The preview this build is for; null for a push to a deployed branch. */
    @Column(name = "preview_id")
    public Long previewId;

    /** The dev stage's release whose other components the new release keeps. */
    @Column(name = "base_release_id")
    public Long baseReleaseId;

    @Column(name = "release_id")
    public Long releaseId;

    @Column(name = "deploy_job_id")
    public Long deployJobId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();

    static Build of(Source source, List<String> components, Long previewId) {
        Build build = new Build();
        build.repository = source.repository();
        build.commit = source.commit();
        build.branch = source.branch();
        build.pullRequest = source.pullRequest();
        build.committedAt = source.committedAt();
        build.components = components.isEmpty() ? null : String.join(",", components);
        build.previewId = previewId;
        return build;
    }

    /** The components this build replaces; empty when its output is the whole release. */
    List<String> componentList() {
        return components == null ? List.of() : Arrays.asList(components.split(","));
    }

    Source source() {
        return new Source(branch, commit, pullRequest, repository, committedAt);
    }

    String shortCommit() {
        return commit.substring(0, Math.min(12, commit.length()));
    }

    /** {@code openstax/webview#2} for a pull request, {@code openstax/webview@main} for a branch. */
    String what() {
        return pullRequest != null ? repository + "#" + pullRequest : repository + "@" + branch;
    }

    static Optional<Build> forJob(long jobId) {
        return find("jobId", jobId).firstResultOptional();
    }
}
