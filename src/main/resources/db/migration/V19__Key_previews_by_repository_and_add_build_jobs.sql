-- cnx.org is many repositories: openstax/webview#2 and openstax/cnx-archive#2 are two pull requests with two previews.
DROP INDEX previews_open_number;
CREATE UNIQUE INDEX previews_open_repository_number ON previews (repository, number) WHERE status <> 'torn-down';

-- A release records the repository of the commit (and pull request) it was built from.
ALTER TABLE releases ADD COLUMN source_repository TEXT;

-- What a build job builds; the job itself (status, log, lease) is its row in jobs.
CREATE TABLE builds (
    id              BIGSERIAL PRIMARY KEY,
    job_id          BIGINT      NOT NULL UNIQUE REFERENCES jobs (id),
    repository      TEXT        NOT NULL,
    commit_sha      TEXT        NOT NULL,
    branch          TEXT        NOT NULL,
    pull_request    INTEGER,
    -- Comma-separated components taken from the build's output; NULL takes every one it prints.
    components      TEXT,
    preview_id      BIGINT REFERENCES previews (id),
    base_release_id BIGINT REFERENCES releases (id),
    release_id      BIGINT REFERENCES releases (id),
    deploy_job_id   BIGINT REFERENCES jobs (id),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
