-- The outbox: every event, written in the transaction of the change it describes. seq orders events for every
-- consumer (SSE ids, subscription cursors, the Kafka relay); writers take a transaction-scoped advisory lock
-- before drawing a seq, so seqs become visible in commit order and a reader never skips a late commit.
CREATE TABLE events (
    seq         BIGSERIAL PRIMARY KEY,
    event_id    TEXT        NOT NULL,
    source      TEXT        NOT NULL,
    type        TEXT        NOT NULL,
    subject     TEXT,
    environment TEXT,
    time        TIMESTAMPTZ NOT NULL,
    body        TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- CloudEvents: source + id identify an event; a publisher retrying a POST does not create a second one.
CREATE UNIQUE INDEX events_source_id ON events (source, event_id);
CREATE INDEX events_created_at ON events (created_at);

-- A webhook subscription. cursor_seq is the last outbox seq already turned into deliveries (or skipped as not
-- matching); next_attempt_at holds the whole subscription back while its oldest pending delivery waits to retry.
CREATE TABLE subscriptions (
    id                BIGSERIAL PRIMARY KEY,
    url               TEXT        NOT NULL,
    types             TEXT        NOT NULL,
    environments      TEXT        NOT NULL DEFAULT '',
    secret_nonce      BYTEA,
    secret_ciphertext BYTEA,
    status            TEXT        NOT NULL,
    cursor_seq        BIGINT      NOT NULL,
    next_attempt_at   TIMESTAMPTZ,
    lease_owner       TEXT,
    lease_expires_at  TIMESTAMPTZ,
    created_by        TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One event for one subscription: pending until delivered or dead-lettered; the delivery log.
CREATE TABLE deliveries (
    id                BIGSERIAL PRIMARY KEY,
    subscription_id   BIGINT      NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    event_seq         BIGINT      NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
    status            TEXT        NOT NULL,
    attempts          INT         NOT NULL DEFAULT 0,
    first_attempt_at  TIMESTAMPTZ,
    last_attempt_at   TIMESTAMPTZ,
    next_attempt_at   TIMESTAMPTZ,
    status_code       INT,
    response_excerpt  TEXT,
    latency_ms        BIGINT,
    error             TEXT,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at       TIMESTAMPTZ,
    UNIQUE (subscription_id, event_seq)
);
CREATE INDEX deliveries_pending ON deliveries (subscription_id, event_seq) WHERE status = 'pending';
CREATE INDEX deliveries_by_subscription ON deliveries (subscription_id, id DESC);

-- Relays of the outbox to elsewhere (Kafka): how far each got, and which instance holds it.
CREATE TABLE event_relays (
    name             TEXT PRIMARY KEY,
    cursor_seq       BIGINT      NOT NULL,
    lease_owner      TEXT,
    lease_expires_at TIMESTAMPTZ,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
