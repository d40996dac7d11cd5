package org.cnx.conveyor.job;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How jobs are claimed, leased and logged ({@code conveyor.jobs.*}). */
@ConfigMapping(prefix = "conveyor.jobs")
public interface JobConfig {

    /** This instance's name in job leases; defaults to the host name plus the data directory. */
    Optional<String> instanceId();

    /** How many jobs (of different environments) this instance runs at once. */
    @WithDefault("4")
    int concurrency();

    /**
     * How long a claimed job stays owned without a heartbeat; after that another instance recovers it. With the
     * heartbeat and reap defaults a job whose instance died is recovered within 10 s (8 s + at most 1 s + recovery).
     */
    @WithDefault("8s")
    Duration lease();

    /** How often a running job renews its lease: four renewals per lease, so three may be late before it lapses. */
    @WithDefault("2s")
    Duration heartbeat();

    /** How often jobs whose lease lapsed are looked for (and recovered) by every instance. */
    @WithDefault("1s")
    Duration reapEvery();

    /** How often the queue is polled (submissions on this instance start at once anyway). */
    @WithDefault("1s")
    Duration poll();

    /** How often buffered log lines are written to the database and pushed to viewers. */
    @WithDefault("50ms")
    Duration logFlushInterval();

    /** Lines kept per job; later lines are dropped after a truncation marker. */
    @WithDefault("2000000")
    long logMaxLines();
}
