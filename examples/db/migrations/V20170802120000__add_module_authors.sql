ALTER TABLE modules ADD COLUMN authors TEXT[] NOT NULL DEFAULT '{}';
CREATE INDEX modules_authors_idx ON modules USING gin (authors);
