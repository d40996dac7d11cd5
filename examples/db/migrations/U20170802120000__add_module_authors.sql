DROP INDEX modules_authors_idx;
ALTER TABLE modules DROP COLUMN authors;
