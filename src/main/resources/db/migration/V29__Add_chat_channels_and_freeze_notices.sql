-- Chat channels are subscriptions of another kind: they share the outbox's cursors, leases, retries, dead letters
-- and delivery log. kind says how a delivery is made (a signed CloudEvent, a Slack message, a Matrix message);
-- room is a Matrix room id; stages takes the events of every environment of those stages (besides environments);
-- name is what the channels page calls it. For Slack the sealed secret is the whole incoming-webhook URL (url then
-- holds only its masked form); for Matrix it is the access token.
ALTER TABLE subscriptions ADD COLUMN kind   TEXT NOT NULL DEFAULT 'webhook';
ALTER TABLE subscriptions ADD COLUMN room   TEXT;
ALTER TABLE subscriptions ADD COLUMN stages TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN name   TEXT;

-- One row per freeze window that began: the instance whose insert wins publishes freeze.started, so the notice is
-- sent once however many instances look.
CREATE TABLE freeze_notices (
    freeze_id   BIGINT      NOT NULL REFERENCES deploy_freezes (id) ON DELETE CASCADE,
    starts_at   TIMESTAMPTZ NOT NULL,
    noticed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (freeze_id, starts_at)
);
