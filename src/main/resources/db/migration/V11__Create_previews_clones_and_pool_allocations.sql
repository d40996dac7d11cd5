-- Environments made from templates (previews, personal clones) are removed by a teardown; the row stays, marked
-- destroyed, so its jobs and history remain readable, and its name becomes free for a new environment.
ALTER TABLE environments ADD COLUMN destroyed_at TIMESTAMPTZ;
ALTER TABLE environments DROP CONSTRAINT environments_name_key;
CREATE UNIQUE INDEX environments_live_name ON environments (name) WHERE destroyed_at IS NULL;

-- Ports and hosts handed out from the pool; the unique constraints make a double allocation impossible.
CREATE TABLE pool_allocations (
    id          BIGSERIAL PRIMARY KEY,
    environment TEXT        NOT NULL,
    resource    TEXT        NOT NULL,
    slot        TEXT        NOT NULL,
    value       TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (resource, value),
    UNIQUE (environment, resource, slot)
);

-- GitHub deliveries already handled, so a redelivery does nothing twice.
CREATE TABLE github_deliveries (
    delivery_id TEXT PRIMARY KEY,
    event       TEXT        NOT NULL,
    outcome     TEXT,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One pull request preview: what GitHub told about the pull request and where its environment stands.
CREATE TABLE previews (
    id           BIGSERIAL PRIMARY KEY,
    number       INTEGER     NOT NULL,
    environment  TEXT        NOT NULL,
    repository   TEXT        NOT NULL,
    title        TEXT        NOT NULL,
    author       TEXT        NOT NULL,
    branch       TEXT        NOT NULL,
    head_commit  TEXT        NOT NULL,
    status       TEXT        NOT NULL,
    url          TEXT,
    release_id   BIGINT REFERENCES releases (id),
    job_id       BIGINT REFERENCES jobs (id),
    error        TEXT,
    expires_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    torn_down_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX previews_open_number ON previews (number) WHERE status <> 'torn-down';

-- Commit statuses waiting to be reported to GitHub (an outbox: sent in order, retried, never blocking a deploy).
CREATE TABLE commit_statuses (
    id              BIGSERIAL PRIMARY KEY,
    repository      TEXT        NOT NULL,
    sha             TEXT        NOT NULL,
    state           TEXT        NOT NULL,
    target_url      TEXT,
    description     TEXT        NOT NULL,
    context         TEXT        NOT NULL,
    status          TEXT        NOT NULL DEFAULT 'pending',
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at         TIMESTAMPTZ
);
CREATE INDEX commit_statuses_waiting ON commit_statuses (id) WHERE status = 'pending';

-- A developer's personal clone.
CREATE TABLE clones (
    id             BIGSERIAL PRIMARY KEY,
    owner          TEXT        NOT NULL,
    environment    TEXT        NOT NULL,
    status         TEXT        NOT NULL,
    last_active_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    torn_down_at   TIMESTAMPTZ
);
CREATE UNIQUE INDEX clones_live_environment ON clones (environment) WHERE status <> 'torn-down';
CREATE INDEX clones_by_owner ON clones (owner) WHERE status <> 'torn-down';
