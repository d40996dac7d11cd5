-- A backfill: runs after the deploy committed, outside its transaction.
UPDATE modules SET authors = ARRAY['OpenStax'] WHERE authors = '{}';
