package org.cnx.conveyor.release;

import java.time.Instant;
import java.util.List;

/**
 * Where a release was deployed, for its page: implemented by the jobs feature, which the release feature must not
 * depend on.
 */
public interface ReleaseHistory {

    /** One job that put (or tried to put) the release on an environment. */
    record Deploy(
            long job,
            String environment,
            String type,
            String status,
            String requestedBy,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt) {}

    /** The jobs that carried the release, newest first, at most {@code limit}. */
    List<Deploy> deploysOf(long releaseId, int limit);
}
