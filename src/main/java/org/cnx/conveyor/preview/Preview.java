package org.cnx.conveyor.preview;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
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
import java.util.Set;
import org.cnx.conveyor.common.IllegalTransition;

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
    @Convert(converter = PreviewStatus.Stored.class)
    private PreviewStatus status;

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
        preview.status = PreviewStatus.BUILDING;
        preview.describe(pr);
        return preview;
    }

    /** Statuses from which a new build or deploy, a failure or a teardown may start. */
    private static final Set<PreviewStatus> SETTLED_OR_DEPLOYING =
            EnumSet.of(PreviewStatus.BUILDING, PreviewStatus.DEPLOYING, PreviewStatus.READY, PreviewStatus.FAILED);

    public PreviewStatus status() {
        return status;
    }

    /** Takes the pull request's latest title, branch and head commit. */
    void describe(PullRequest pr) {
        title = pr.title();
        author = pr.author();
        branch = pr.branch();
        headCommit = pr.headCommit();
        updatedAt = Instant.now();
    }

    /** A build of the head commit was queued; the preview follows that job until it queues the deploy. */
    void building(long job) {
        require(SETTLED_OR_DEPLOYING, "build");
        status = PreviewStatus.BUILDING;
        jobId = job;
        error = null;
        updatedAt = Instant.now();
    }

    /** A deploy of the head commit's release was queued; the time-to-live restarts. */
    void deploying(long release, long job, Duration ttl) {
        require(SETTLED_OR_DEPLOYING, "deploy");
        status = PreviewStatus.DEPLOYING;
        releaseId = release;
        jobId = job;
        error = null;
        restartTtl(ttl);
    }

    /** The deploy succeeded; the time-to-live restarts from now. */
    void ready(Duration ttl) {
        require(EnumSet.of(PreviewStatus.DEPLOYING), "be ready");
        status = PreviewStatus.READY;
        restartTtl(ttl);
    }

    void fail(String why) {
        require(SETTLED_OR_DEPLOYING, "fail");
        status = PreviewStatus.FAILED;
        error = why;
        updatedAt = Instant.now();
    }

    void tearingDown(long job) {
        require(SETTLED_OR_DEPLOYING, "be torn down");
        status = PreviewStatus.TEARING_DOWN;
        jobId = job;
        updatedAt = Instant.now();
    }

    /** Its environment was destroyed (normally by its teardown job, possibly by an admin while it still ran). */
    void tornDown() {
        require(EnumSet.complementOf(EnumSet.of(PreviewStatus.TORN_DOWN)), "be torn down again");
        status = PreviewStatus.TORN_DOWN;
        tornDownAt = Instant.now();
        updatedAt = tornDownAt;
    }

    boolean open() {
        return status != PreviewStatus.TORN_DOWN;
    }

    private void restartTtl(Duration ttl) {
        updatedAt = Instant.now();
        expiresAt = updatedAt.plus(ttl);
    }

    private void require(Set<PreviewStatus> allowed, String transition) {
        IllegalTransition.unlessIn(allowed, status, "preview of pull request " + number, transition);
    }

    /** The preview of the repository's pull request that is not torn down, if any. */
    public static Optional<Preview> openFor(String repository, int number) {
        return find("repository = ?1 and number = ?2 and status <> ?3", repository, number, PreviewStatus.TORN_DOWN)
                .firstResultOptional();
    }

    /**
     * Holds, until the transaction ends, the lock that serializes the creation of the previews of pull request
     * {@code number} (of any repository), so two deliveries for the same pull request cannot both create it.
     */
    static void lockNumber(int number) {
        getEntityManager()
                .createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(?1, ?2)")
                .setParameter(1, CREATION_LOCK)
                .setParameter(2, number)
                .getSingleResult();
    }

    /** The first key of {@link #lockNumber}'s two-part advisory lock ("prev" in ASCII). */
    private static final int CREATION_LOCK = 0x70726576;

    public static Optional<Preview> openForEnvironment(String environment) {
        return find("environment = ?1 and status <> ?2", environment, PreviewStatus.TORN_DOWN)
                .firstResultOptional();
    }

    /** Previews waiting for a job: a build or a deploy. */
    static List<Preview> waitingForJobs() {
        return list("status in ?1 and jobId is not null", List.of(PreviewStatus.BUILDING, PreviewStatus.DEPLOYING));
    }

    static List<Preview> expired(Instant now) {
        return list("status in ?1 and expiresAt < ?2", List.of(PreviewStatus.READY, PreviewStatus.FAILED), now);
    }

    /** Open previews first (newest first), then the most recently torn down ones. */
    static List<Preview> forPage(int limit) {
        return find("order by case when status = ?1 then 1 else 0 end, updatedAt desc", PreviewStatus.TORN_DOWN)
                .page(0, limit)
                .list();
    }
}
