-- GitHub deployments: one per (repository, environment, commit) that Conveyor deployed, created on GitHub by the
-- first of its statuses to be sent (github_id is then known, so a retried status never creates a second one).
CREATE TABLE github_deployments (
    id          BIGSERIAL   PRIMARY KEY,
    repository  TEXT        NOT NULL,
    environment TEXT        NOT NULL,
    sha         TEXT        NOT NULL,
    transient   BOOLEAN     NOT NULL,
    production  BOOLEAN     NOT NULL,
    github_id   BIGINT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (repository, environment, sha)
);

-- The outbox of deployment statuses, sent oldest first; (job_id, state) is unique so the tracker that writes them
-- from the jobs table may look at a job any number of times.
CREATE TABLE github_deployment_statuses (
    id              BIGSERIAL   PRIMARY KEY,
    deployment_id   BIGINT      NOT NULL REFERENCES github_deployments (id),
    job_id          BIGINT      NOT NULL,
    state           TEXT        NOT NULL,
    environment_url TEXT,
    log_url         TEXT,
    description     TEXT        NOT NULL,
    status          TEXT        NOT NULL DEFAULT 'pending',
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at         TIMESTAMPTZ,
    UNIQUE (job_id, state)
);
CREATE INDEX github_deployment_statuses_waiting ON github_deployment_statuses (id) WHERE status = 'pending';
