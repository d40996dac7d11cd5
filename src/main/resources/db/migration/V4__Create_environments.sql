CREATE TABLE environments (
    id                 BIGSERIAL PRIMARY KEY,
    name               TEXT        NOT NULL UNIQUE,
    kind               TEXT        NOT NULL,
    stage              TEXT        NOT NULL,
    definition_file    TEXT        NOT NULL,
    definition_text    TEXT        NOT NULL,
    definition_sha256  TEXT        NOT NULL,
    loaded_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    file_missing       BOOLEAN     NOT NULL DEFAULT false,
    current_release_id BIGINT REFERENCES releases (id),
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE definition_problems (
    id          BIGSERIAL PRIMARY KEY,
    file        TEXT        NOT NULL,
    line        INTEGER     NOT NULL,
    col         INTEGER     NOT NULL,
    path        TEXT        NOT NULL,
    message     TEXT        NOT NULL,
    detected_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
