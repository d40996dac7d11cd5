-- Repeatable: re-run whenever this file changes.
CREATE OR REPLACE VIEW latest_modules AS
    SELECT DISTINCT ON (uuid) uuid, version, title
    FROM modules
    ORDER BY uuid, module_ident DESC;
