-- Compute instances on several servers over one database (docs/notebooks.md, "Several servers"). Portable SQL for
-- SQLite and PostgreSQL (see V1).
-- runner: the server whose workload serves the instance while it is Creating, Running or Stopping; lease_until: until
-- when that server vouches for it (renewed by its checks; once past, any server marks the instance Stopped);
-- schedule_checked_at: up to when its start/stop schedules were applied, moved by a conditional update so that each
-- fire is applied by one server only.
ALTER TABLE compute_instances ADD COLUMN runner VARCHAR(64);
ALTER TABLE compute_instances ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE compute_instances ADD COLUMN schedule_checked_at BIGINT NOT NULL DEFAULT 0;
UPDATE compute_instances SET schedule_checked_at = updated_at;
