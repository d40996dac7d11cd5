-- A request to move a release to the environment of a stage; protected environments wait for approvals by leads.
CREATE TABLE promotions (
    id                 BIGSERIAL PRIMARY KEY,
    release_id         BIGINT      NOT NULL REFERENCES releases (id),
    environment_id     BIGINT      NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
    from_stage         TEXT,
    to_stage           TEXT        NOT NULL,
    state              TEXT        NOT NULL,
    approvals_required INTEGER     NOT NULL,
    requested_by       TEXT        NOT NULL,
    requested_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    note               TEXT,
    decided_by         TEXT,
    decided_at         TIMESTAMPTZ,
    rejection_reason   TEXT,
    allow_irreversible BOOLEAN     NOT NULL DEFAULT false,
    job_id             BIGINT      REFERENCES jobs (id)
);
CREATE INDEX promotions_by_state ON promotions (state, id);

CREATE TABLE promotion_approvals (
    id           BIGSERIAL PRIMARY KEY,
    promotion_id BIGINT      NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    approver     TEXT        NOT NULL,
    approved_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (promotion_id, approver)
);

-- The job a promotion started, so the deployment history can link back to it.
ALTER TABLE jobs ADD COLUMN promotion_id BIGINT;

-- The audit page filters by actor, action and time.
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
