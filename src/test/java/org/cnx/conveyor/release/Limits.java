package org.cnx.conveyor.release;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Artifact settings for tests that build the artifact classes themselves, without Quarkus. */
record Limits(List<String> roots, Optional<List<String>> allowedHosts, long maxDownloadSize, Duration downloadTimeout)
        implements ArtifactsConfig {

    static Limits roots(String... roots) {
        return new Limits(List.of(roots), Optional.empty(), 1 << 20, Duration.ofSeconds(5));
    }

    static Limits allowing(String... hosts) {
        return new Limits(List.of(), Optional.of(List.of(hosts)), 1 << 20, Duration.ofSeconds(5));
    }

    Limits timeout(Duration timeout) {
        return new Limits(roots, allowedHosts, maxDownloadSize, timeout);
    }

    @Override
    public Duration connectTimeout() {
        return Duration.ofSeconds(2);
    }

    @Override
    public int maxRedirects() {
        return 5;
    }

    @Override
    public long maxEntrySize() {
        return 1 << 20;
    }

    @Override
    public long maxReadSize() {
        return 4 << 20;
    }

    @Override
    public long maxUnpackedSize() {
        return 16 << 20;
    }
}
