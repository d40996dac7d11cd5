package org.cnx.conveyor.preview;

import java.time.Instant;

/** A preview as the Previews page and {@code GET /api/previews} show it. */
public record PreviewView(
        int number,
        String environment,
        String repository,
        String title,
        String author,
        String branch,
        String commit,
        String status,
        String url,
        Long release,
        Long job,
        String error,
        Instant expiresAt,
        Instant updatedAt) {

    static PreviewView of(Preview preview) {
        return new PreviewView(
                preview.number,
                preview.environment,
                preview.repository,
                preview.title,
                preview.author,
                preview.branch,
                preview.headCommit,
                preview.status().id(),
                preview.url,
                preview.releaseId,
                preview.jobId,
                preview.error,
                preview.expiresAt,
                preview.updatedAt);
    }

    public String shortCommit() {
        return commit.substring(0, Math.min(12, commit.length()));
    }

    public boolean open() {
        return !status.equals(PreviewStatus.TORN_DOWN.id());
    }
}
