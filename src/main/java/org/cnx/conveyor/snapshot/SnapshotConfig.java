package org.cnx.conveyor.snapshot;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Where snapshots are stored and which PostgreSQL client programs take and restore them. */
@ConfigMapping(prefix = "conveyor.snapshots")
public interface SnapshotConfig {

    /** Folder of the snapshot files ({@code conveyor.snapshots.dir}); default {@code <data dir>/snapshots}. */
    Optional<String> dir();

    /**
     * Folder holding {@code pg_dump} and {@code pg_restore} ({@code conveyor.snapshots.pg-bin}); default
     * {@code /usr/lib/postgresql/15/bin} when it exists (Debian's postgresql-client-15), else the {@code PATH}. They must
     * be at least as new as the newest server they dump.
     */
    Optional<String> pgBin();

    /**
     * Parallel jobs of {@code pg_restore -j} when a snapshot is restored into its template or into the copy that is
     * scrubbed ({@code conveyor.snapshots.restore-jobs}).
     */
    @WithDefault("2")
    int restoreJobs();
}
