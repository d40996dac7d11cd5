-- Artifacts uploaded through PUT /api/artifacts/{sha256}; the bytes live in <data dir>/artifacts/<sha256>.tar.gz.
-- touched_at moves on every upload and every release that references the artifact, so the sweep (which deletes
-- only rows untouched for the retention period and referenced by no release) never races a release being created.
CREATE TABLE artifact_uploads (
    sha256      TEXT        PRIMARY KEY,
    size        BIGINT      NOT NULL,
    uploaded_by TEXT        NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    touched_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX release_components_sha256 ON release_components (sha256);
