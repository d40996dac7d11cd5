-- When the commit a release was built from was made (CI says so, or a push's head_commit.timestamp): DORA's lead time
-- for changes runs from here; a release without it counts from its own creation.
ALTER TABLE releases ADD COLUMN source_committed_at timestamptz;
ALTER TABLE builds ADD COLUMN committed_at timestamptz;
