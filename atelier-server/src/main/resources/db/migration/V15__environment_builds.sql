-- Environments that build (docs/jobs.md, "Environments"): a python environment names its interpreter
-- (a version such as 3.11, or an absolute path) and is built from its requirements or its conda file;
-- tags are a JSON object of strings. Portable SQL for SQLite and PostgreSQL (see V1).
ALTER TABLE environments ADD COLUMN python TEXT;
ALTER TABLE environments ADD COLUMN conda_file TEXT;
ALTER TABLE environments ADD COLUMN tags TEXT;
