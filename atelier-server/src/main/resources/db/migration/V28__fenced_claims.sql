-- Claims that several servers sharing one database can fence on (docs/operations.md, "Running several servers").
-- Portable SQL for SQLite and PostgreSQL (see V1).

-- Queue positions of jobs come from a counter row (an UPDATE inside the inserting transaction), not MAX(queue_seq) + 1,
-- which two servers inserting at once on PostgreSQL read alike (a unique-key failure answered as a 500).
INSERT INTO id_counters (name, next) SELECT 'job_queue', COALESCE(MAX(queue_seq), 0) + 1 FROM jobs;

-- The last log line number of each job: appending lines advances it in the job's row (a row lock on PostgreSQL), so
-- concurrent appends to one job never number two lines alike.
ALTER TABLE jobs ADD COLUMN log_seq BIGINT NOT NULL DEFAULT 0;
UPDATE jobs SET log_seq = COALESCE((SELECT MAX(l.seq) FROM job_log_lines l
                                    WHERE l.workspace = jobs.workspace AND l.job_name = jobs.name), 0);

-- Who copies a pending model version's files: a token per claim. Renewing the lease and finishing the copy are
-- conditional on it, so a copy whose claim was taken over can neither extend it nor end the version.
ALTER TABLE model_versions ADD COLUMN claim_owner VARCHAR(64);
