-- Published modules (book pages), one row per published version.
CREATE TABLE modules (
    module_ident SERIAL PRIMARY KEY,
    uuid UUID NOT NULL,
    version TEXT NOT NULL,
    title TEXT NOT NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX modules_uuid_idx ON modules (uuid);
INSERT INTO modules (uuid, version, title) VALUES
    ('209deb1f-1a46-4369-9e0d-18674cf58a3e', '1.1', 'College Physics'),
    ('9b08c294-057f-4201-9f48-5d6ad992740d', '2.3', 'Introductory Statistics');
