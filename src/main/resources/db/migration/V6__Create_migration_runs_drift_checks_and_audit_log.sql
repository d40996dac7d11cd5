-- Conveyor's own record of what it did to each environment's database: the scripts it ran (so a later rollback can
-- undo a migration even when the release that brought it is gone), who ran them, and through which job.
CREATE TABLE migration_runs (
    id             BIGSERIAL PRIMARY KEY,
    environment_id BIGINT      NOT NULL REFERENCES environments (id),
    job_id         BIGINT REFERENCES jobs (id),
    release_id     BIGINT REFERENCES releases (id),
    action         TEXT        NOT NULL,
    kind           TEXT        NOT NULL,
    version        TEXT,
    description    TEXT        NOT NULL,
    script         TEXT        NOT NULL,
    checksum       INTEGER,
    forward_sql    TEXT,
    undo_sql       TEXT,
    error          TEXT,
    done_by        TEXT        NOT NULL,
    done_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX migration_runs_by_environment ON migration_runs (environment_id, version, id DESC);

-- A deploy past a migration without an undo script needs an explicit confirmation.
ALTER TABLE jobs ADD COLUMN allow_irreversible BOOLEAN NOT NULL DEFAULT false;

-- A warning that does not make the environment degraded (a failed deferred migration).
ALTER TABLE environments ADD COLUMN warning TEXT;
ALTER TABLE environments ADD COLUMN warning_job_id BIGINT REFERENCES jobs (id);

CREATE TABLE drift_checks (
    id             BIGSERIAL PRIMARY KEY,
    environment_id BIGINT      NOT NULL REFERENCES environments (id),
    checked_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    checked_by     TEXT        NOT NULL,
    clean          BOOLEAN     NOT NULL,
    report         TEXT        NOT NULL
);
CREATE INDEX drift_checks_by_environment ON drift_checks (environment_id, id DESC);

-- Every state change, appended; Conveyor never changes or deletes a row, and the database refuses to.
CREATE TABLE audit_log (
    id      BIGSERIAL PRIMARY KEY,
    at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor   TEXT        NOT NULL,
    address TEXT,
    action  TEXT        NOT NULL,
    subject TEXT        NOT NULL,
    detail  TEXT
);
CREATE INDEX audit_log_by_time ON audit_log (at DESC);

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_log_is_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
