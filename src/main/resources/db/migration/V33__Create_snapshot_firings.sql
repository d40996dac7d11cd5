-- One row per firing of a source's snapshot schedule: the instance whose insert wins queues the snapshot job, so it is
-- taken once across instances.
CREATE TABLE snapshot_firings (
    environment TEXT        NOT NULL,
    fired_at    TIMESTAMPTZ NOT NULL,
    job_id      BIGINT,
    PRIMARY KEY (environment, fired_at)
);
