CREATE TABLE jobs (
    id                BIGSERIAL PRIMARY KEY,
    environment_id    BIGINT      NOT NULL REFERENCES environments (id),
    type              TEXT        NOT NULL,
    status            TEXT        NOT NULL,
    release_id        BIGINT REFERENCES releases (id),
    from_release_id   BIGINT REFERENCES releases (id),
    requested_by      TEXT        NOT NULL,
    reason            TEXT,
    phase             TEXT,
    error             TEXT,
    cancel_requested  BOOLEAN     NOT NULL DEFAULT false,
    lease_owner       TEXT,
    lease_expires_at  TIMESTAMPTZ,
    log_lines         BIGINT      NOT NULL DEFAULT 0,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at        TIMESTAMPTZ,
    finished_at       TIMESTAMPTZ
);

-- At most one job runs per environment; the database itself refuses a second.
CREATE UNIQUE INDEX jobs_one_running_per_environment ON jobs (environment_id) WHERE status = 'running';
CREATE INDEX jobs_queued ON jobs (environment_id, id) WHERE status = 'queued';
CREATE INDEX jobs_by_environment ON jobs (environment_id, id DESC);

-- The journal: every step is written here before it acts and marked after, so a new process can
-- tell exactly what a dead one changed.
CREATE TABLE job_steps (
    id           BIGSERIAL PRIMARY KEY,
    job_id       BIGINT      NOT NULL REFERENCES jobs (id),
    phase        TEXT        NOT NULL,
    host         TEXT        NOT NULL,
    component    TEXT        NOT NULL,
    action       TEXT        NOT NULL,
    state        TEXT        NOT NULL,
    before_value TEXT,
    detail       TEXT,
    started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at  TIMESTAMPTZ
);
CREATE INDEX job_steps_by_job ON job_steps (job_id, id);

CREATE TABLE job_log (
    job_id    BIGINT      NOT NULL REFERENCES jobs (id),
    seq       BIGINT      NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    host      TEXT,
    component TEXT,
    stream    TEXT        NOT NULL,
    line      TEXT        NOT NULL,
    PRIMARY KEY (job_id, seq)
);

CREATE TABLE deployments (
    id                  BIGSERIAL PRIMARY KEY,
    environment_id      BIGINT      NOT NULL REFERENCES environments (id),
    release_id          BIGINT      NOT NULL REFERENCES releases (id),
    previous_release_id BIGINT REFERENCES releases (id),
    job_id              BIGINT      NOT NULL REFERENCES jobs (id),
    kind                TEXT        NOT NULL,
    deployed_by         TEXT        NOT NULL,
    deployed_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX deployments_by_environment ON deployments (environment_id, id DESC);

ALTER TABLE environments
    ADD COLUMN health        TEXT NOT NULL DEFAULT 'ok',
    ADD COLUMN health_detail TEXT,
    ADD COLUMN health_job_id BIGINT REFERENCES jobs (id);
