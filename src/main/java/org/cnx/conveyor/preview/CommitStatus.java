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
import java.util.List;

/** A commit status waiting to be reported to GitHub, or the record of one that was (an outbox row). */
@Entity
@Table(name = "commit_statuses")
public class CommitStatus extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String repository;

    @Column(nullable = false)
    public String sha;

    /** GitHub's state: {@code pending}, {@code success}, {@code failure} or {@code error}. */
    @Column(nullable = false)
    public String state;

    @Column(name = "target_url")
    public String targetUrl;

    @Column(nullable = false)
    public String description;

    @Column(nullable = false)
    public String context;

    /** {@code pending} (waiting to be sent), {@code sent}, or {@code dead} (given up after the last attempt). */
    @Column(nullable = false)
    String status = "pending";

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt = Instant.now();

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();

    @Column(name = "sent_at")
    public Instant sentAt;

    public String status() {
        return status;
    }

    void sent() {
        status = "sent";
        attempts++;
        sentAt = Instant.now();
        lastError = null;
    }

    /** A failed attempt: retried after {@code firstDelay} doubled per earlier attempt, or given up after {@code maxAttempts}. */
    void attemptFailed(String why, int maxAttempts, Duration firstDelay) {
        attempts++;
        lastError = why;
        if (attempts >= maxAttempts) {
            status = "dead";
        } else {
            nextAttemptAt = Instant.now().plus(firstDelay.multipliedBy(1L << Math.min(attempts - 1, 16)));
        }
    }

    /** The oldest statuses still to send, in the order they were written. */
    static List<CommitStatus> waiting(int limit) {
        return find("status = 'pending' order by id").page(0, limit).list();
    }
}
