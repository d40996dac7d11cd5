-- One row per firing of a scheduled runbook: the instance whose insert wins runs it, so it runs once across instances.
CREATE TABLE runbook_firings (
    environment TEXT        NOT NULL,
    runbook     TEXT        NOT NULL,
    fired_at    TIMESTAMPTZ NOT NULL,
    job_id      BIGINT,
    PRIMARY KEY (environment, runbook, fired_at)
);
