-- Image environments built from a Dockerfile (docs/jobs.md, "Environments that build"): the build context is a code
-- snapshot of the workspace, the Dockerfile a path inside it. Portable SQL for SQLite and PostgreSQL (see V1).
ALTER TABLE environments ADD COLUMN build_context TEXT;
ALTER TABLE environments ADD COLUMN build_dockerfile TEXT;
