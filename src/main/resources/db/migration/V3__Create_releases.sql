CREATE TABLE releases (
    id                  BIGSERIAL PRIMARY KEY,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by          TEXT        NOT NULL,
    notes               TEXT,
    source_branch       TEXT,
    source_commit       TEXT,
    source_pull_request INTEGER
);

CREATE TABLE release_components (
    id            BIGSERIAL PRIMARY KEY,
    release_id    BIGINT NOT NULL REFERENCES releases (id),
    name          TEXT   NOT NULL,
    version       TEXT   NOT NULL,
    artifact_url  TEXT,
    artifact_path TEXT,
    sha256        TEXT,
    UNIQUE (release_id, name)
);

-- Releases are immutable: the database itself refuses to change or delete one.
CREATE FUNCTION refuse_release_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'releases are immutable: create a new release instead';
END;
$$;

CREATE TRIGGER releases_are_immutable BEFORE UPDATE OR DELETE ON releases
    FOR EACH ROW EXECUTE FUNCTION refuse_release_change();
CREATE TRIGGER release_components_are_immutable BEFORE UPDATE OR DELETE ON release_components
    FOR EACH ROW EXECUTE FUNCTION refuse_release_change();
