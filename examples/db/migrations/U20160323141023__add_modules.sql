DROP VIEW IF EXISTS latest_modules;
DROP TABLE modules;
