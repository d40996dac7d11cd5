package org.cnx.conveyor.clone;

import java.time.Instant;
import org.cnx.conveyor.job.JobViews.JobSummary;

/** A clone as its page and {@code GET /api/clones} show it: where it runs, what its last job did, when it expires. */
public record CloneView(
        String environment,
        String owner,
        String status,
        String url,
        Long release,
        JobSummary lastJob,
        Instant lastActiveAt,
        Instant idleDeadline,
        boolean idleWarning) {}
