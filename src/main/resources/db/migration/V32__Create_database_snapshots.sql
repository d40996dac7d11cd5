-- Scrubbed copies of an environment's database, stored as files under the data directory. A row is written only
-- after the scrub scripts succeeded and the file is complete; rows and files are never changed, only removed by
-- retention (the oldest beyond the source's "keep").
CREATE TABLE snapshots (
    id             BIGSERIAL PRIMARY KEY,
    environment_id BIGINT      NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
    source         TEXT        NOT NULL,
    job_id         BIGINT      NOT NULL REFERENCES jobs (id),
    file           TEXT        NOT NULL UNIQUE,
    sha256         TEXT        NOT NULL,
    size_bytes     BIGINT      NOT NULL,
    schema_version TEXT,
    migrations     INT         NOT NULL,
    scrub_sha256   TEXT        NOT NULL,
    taken_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX snapshots_newest ON snapshots (source, id DESC);
