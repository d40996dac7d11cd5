-- "Deploy release N to environment E at T": fired once (the row is claimed by the instance that fires it), or dropped
-- when it could not fire before its expiry, or cancelled.
CREATE TABLE scheduled_deploys (
    id             BIGSERIAL PRIMARY KEY,
    environment_id BIGINT      NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
    release_id     BIGINT      NOT NULL REFERENCES releases (id),
    run_at         TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    requested_by   TEXT        NOT NULL,
    state          TEXT        NOT NULL DEFAULT 'pending',
    job_id         BIGINT REFERENCES jobs (id),
    outcome        TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (expires_at > run_at)
);
CREATE INDEX scheduled_deploys_due ON scheduled_deploys (run_at) WHERE state = 'pending';
