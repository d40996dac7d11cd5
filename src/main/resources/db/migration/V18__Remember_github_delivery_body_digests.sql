-- A signed GitHub delivery replayed under a new X-GitHub-Delivery id carries the same body (the signature covers the
-- raw body and has no timestamp): remember each body's SHA-256 with its delivery, and refuse a body seen before.
ALTER TABLE github_deliveries ADD COLUMN body_sha256 TEXT;
CREATE UNIQUE INDEX github_deliveries_body_sha256 ON github_deliveries (body_sha256);
