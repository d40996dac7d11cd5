-- What a runbook job runs: the runbook's name and the parameters it was given (validated before it was queued).
CREATE TABLE runbook_runs (
    job_id     BIGINT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    runbook    TEXT NOT NULL,
    parameters TEXT NOT NULL
);
