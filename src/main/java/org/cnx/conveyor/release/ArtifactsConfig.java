package org.cnx.conveyor.release;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where release artifacts may come from and how much of them Conveyor reads ({@code conveyor.artifacts.*}). */
@ConfigMapping(prefix = "conveyor.artifacts")
public interface ArtifactsConfig {

    /** Folders a {@code path} artifact must resolve into, besides {@code <data dir>/artifacts}; relative to the working directory. */
    @WithDefault("examples")
    List<String> roots();

    /** Hosts of artifact URLs exempt from the address rules (loopback, private, link-local…), as written in the URL. */
    Optional<List<String>> allowedHosts();

    /** Largest artifact downloaded from a URL, in bytes. */
    @WithDefault("2147483648")
    long maxDownloadSize();

    /** Time allowed for a whole download, redirects included. */
    @WithDefault("10m")
    Duration downloadTimeout();

    /** Time allowed to connect to an artifact server. */
    @WithDefault("15s")
    Duration connectTimeout();

    /** Redirects followed per download; each target is checked like the first URL. */
    @WithDefault("5")
    int maxRedirects();

    /** Largest single file read out of an artifact (a migration script), in bytes once uncompressed. */
    @WithDefault("8388608")
    long maxEntrySize();

    /** Largest total of the files read out of one artifact (all its migrations), in bytes once uncompressed. */
    @WithDefault("67108864")
    long maxReadSize();

    /** Largest uncompressed size of an artifact scanned for the files it holds, in bytes. */
    @WithDefault("2147483648")
    long maxUnpackedSize();
}
