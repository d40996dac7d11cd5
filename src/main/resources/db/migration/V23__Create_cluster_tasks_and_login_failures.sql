-- Periodic tasks run once across instances: the last start of each (cluster.ClusterTasks), and how often it ran.
CREATE TABLE cluster_tasks (
    name       TEXT PRIMARY KEY,
    started_at TIMESTAMPTZ NOT NULL,
    instance   TEXT        NOT NULL,
    runs       BIGINT      NOT NULL
);

-- Failed password logins per user name or client address, shared by every instance (auth.LoginThrottle).
CREATE TABLE login_failures (
    key          TEXT PRIMARY KEY,
    failures     TIMESTAMPTZ[] NOT NULL,
    locked_until TIMESTAMPTZ
);
