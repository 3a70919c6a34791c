-- V32: covering indexes for runs/search (bench/RESULTS.md, "Tracking"). A filter tags.k = 'v' or params.k = 'v' reads
-- the matching run ids from the (key, value, run_uuid) index alone instead of fetching each tag row for its run_uuid;
-- walking an experiment's runs in start-time order tests the lifecycle stage and the status from the index, without
-- reading each run's row. Portable SQL for SQLite and PostgreSQL.
DROP INDEX tags_by_value;
CREATE INDEX tags_by_value ON tags (key, value, run_uuid);
DROP INDEX params_by_value;
CREATE INDEX params_by_value ON params (key, value, run_uuid);
DROP INDEX runs_by_experiment;
CREATE INDEX runs_by_experiment ON runs (workspace, experiment_id, start_time DESC, run_uuid, lifecycle_stage, status);
