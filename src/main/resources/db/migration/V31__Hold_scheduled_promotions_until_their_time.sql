-- A promotion opened by a deploy scheduled to a protected environment: its approvals are collected now, and its
-- deploy starts at deploy_at (not when the last approval comes), only if the approvals are in by then.
ALTER TABLE promotions ADD COLUMN deploy_at TIMESTAMPTZ;
ALTER TABLE scheduled_deploys ADD COLUMN promotion_id BIGINT REFERENCES promotions (id);
