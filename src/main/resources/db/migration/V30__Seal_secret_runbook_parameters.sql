-- A run's secret parameters, sealed with the master key (AES-GCM, bound to the run's job id) as one JSON object;
-- runbook_runs.parameters holds them as "****".
ALTER TABLE runbook_runs ADD COLUMN secrets_nonce      BYTEA;
ALTER TABLE runbook_runs ADD COLUMN secrets_ciphertext BYTEA;
