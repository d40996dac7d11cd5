-- The texts of the files under environments/runbooks/ that an environment's definition took runbooks from (JSON:
-- file → text), kept with its loaded copy so that the copy parses the same way until the next good sync.
ALTER TABLE environments ADD COLUMN shared_runbooks TEXT;
