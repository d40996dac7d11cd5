package org.cnx.conveyor.preview;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/** The preview environment of one pull request, with what GitHub told about the pull request. */
@Entity
@Table(name = "previews")
public class Preview extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public int number;

    @Column(nullable = false)
    public String environment;

    /** {@code owner/name} of the GitHub repository, where commit statuses are reported. */
    @Column(nullable = false)
    public String repository;

    @Column(nullable = false)
    public String title;

    @Column(nullable = false)
    public String author;

    @Column(nullable = false)
    public String branch;

    @Column(name = "head_commit", nullable = false)
    public String headCommit;

    @Column(nullable = false)
    String status;

    /** The demo link (the environment's {@code url}). */
    public String url;

    @Column(name = "release_id")
    public Long releaseId;

    /** The job whose outcome the preview waits for (its latest deploy, or its teardown). */
    @Column(name = "job_id")
    public Long jobId;

    public String error;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt = Instant.now();

    @Column(name = "torn_down_at")
    public Instant tornDownAt;

    static Preview open(PullRequest pr, String environment, String url) {
        Preview preview = new Preview();
        preview.number = pr.number();
        preview.environment = environment;
        preview.repository = pr.repository();
        preview.url = url;
        preview.status = PreviewStatus.DEPLOYING.id();
        preview.describe(pr);
        return preview;
    }

    public PreviewStatus status() {
        return PreviewStatus.parse(status);
    }

    /** Takes the pull request's latest title, branch and head commit. */
    void describe(PullRequest pr) {
        title = pr.title();
        author = pr.author();
        branch = pr.branch();
        headCommit = pr.headCommit();
        updatedAt = Instant.now();
    }

    /** A deploy of the head commit's release was queued; the time-to-live restarts. */
    void deploying(long release, long job, Duration ttl) {
        require(EnumSet.of(PreviewStatus.DEPLOYING, PreviewStatus.READY, PreviewStatus.FAILED), "deploy");
        status = PreviewStatus.DEPLOYING.id();
        releaseId = release;
        jobId = job;
        error = null;
        restartTtl(ttl);
    }

    /** The deploy succeeded; the time-to-live restarts from now. */
    void ready(Duration ttl) {
        require(EnumSet.of(PreviewStatus.DEPLOYING), "be ready");
        status = PreviewStatus.READY.id();
        restartTtl(ttl);
    }

    void fail(String why) {
        require(EnumSet.of(PreviewStatus.DEPLOYING, PreviewStatus.READY, PreviewStatus.FAILED), "fail");
        status = PreviewStatus.FAILED.id();
        error = why;
        updatedAt = Instant.now();
    }

    void tearingDown(long job) {
        require(EnumSet.of(PreviewStatus.DEPLOYING, PreviewStatus.READY, PreviewStatus.FAILED), "be torn down");
        status = PreviewStatus.TEARING_DOWN.id();
        jobId = job;
        updatedAt = Instant.now();
    }

    void tornDown() {
        status = PreviewStatus.TORN_DOWN.id();
        tornDownAt = Instant.now();
        updatedAt = tornDownAt;
    }

    boolean open() {
        return status() != PreviewStatus.TORN_DOWN;
    }

    private void restartTtl(Duration ttl) {
        updatedAt = Instant.now();
        expiresAt = updatedAt.plus(ttl);
    }

    private void require(EnumSet<PreviewStatus> allowed, String transition) {
        if (!allowed.contains(status())) {
            throw new IllegalStateException("preview of pull request " + number + " cannot " + transition + ": it is " + status);
        }
    }

    /** The preview of the pull request that is not torn down, if any. */
    public static Optional<Preview> openFor(int number) {
        return find("number = ?1 and status <> 'torn-down'", number).firstResultOptional();
    }

    /**
     * Holds, until the transaction ends, the lock that serializes the creation of pull request {@code number}'s
     * preview, so two deliveries for the same pull request cannot both create it.
     */
    static void lockNumber(int number) {
        getEntityManager().createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(?1, ?2)")
                .setParameter(1, CREATION_LOCK).setParameter(2, number).getSingleResult();
    }

    /** The first key of {@link #lockNumber}'s two-part advisory lock ("prev" in ASCII). */
    private static final int CREATION_LOCK = 0x70726576;

    public static Optional<Preview> openForEnvironment(String environment) {
        return find("environment = ?1 and status <> 'torn-down'", environment).firstResultOptional();
    }

    static List<Preview> deploying() {
        return list("status = 'deploying' and jobId is not null");
    }

    static List<Preview> expired(Instant now) {
        return list("status in ('ready', 'failed') and expiresAt < ?1", now);
    }

    /** Open previews first (newest first), then the most recently torn down ones. */
    static List<Preview> forPage(int limit) {
        return find("order by case when status = 'torn-down' then 1 else 0 end, updatedAt desc").page(0, limit).list();
    }
}
