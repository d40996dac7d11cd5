-- API keys for the archive's clients, as cnx-db added them.
CREATE TABLE api_keys (
    id SERIAL PRIMARY KEY,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    groups TEXT[]
);
