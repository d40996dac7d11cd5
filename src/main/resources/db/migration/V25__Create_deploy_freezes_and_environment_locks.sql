-- Deploy freeze windows: for one environment or every environment of a stage; recurring (a cron expression, a
-- duration and a time zone) or one-off (from-to).
CREATE TABLE deploy_freezes (
    id          BIGSERIAL PRIMARY KEY,
    environment TEXT,
    stage       TEXT,
    cron        TEXT,
    duration_s  BIGINT,
    zone        TEXT        NOT NULL DEFAULT 'UTC',
    starts_at   TIMESTAMPTZ,
    ends_at     TIMESTAMPTZ,
    reason      TEXT        NOT NULL,
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((environment IS NULL) <> (stage IS NULL)),
    CHECK ((cron IS NOT NULL AND duration_s > 0 AND starts_at IS NULL AND ends_at IS NULL)
        OR (cron IS NULL AND duration_s IS NULL AND starts_at IS NOT NULL AND ends_at > starts_at))
);

-- At most one lock per environment: who holds it, why, until when (null: until lifted).
CREATE TABLE environment_locks (
    environment_id BIGINT PRIMARY KEY REFERENCES environments (id) ON DELETE CASCADE,
    reason         TEXT        NOT NULL,
    locked_by      TEXT        NOT NULL,
    locked_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at     TIMESTAMPTZ
);
