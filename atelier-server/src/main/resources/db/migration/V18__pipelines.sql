-- The steps of pipeline jobs (docs/pipelines.md). Portable SQL for SQLite and PostgreSQL (see V1): times are epoch
-- milliseconds, outputs a JSON object of output name to datastore URI. A step that runs is a command job named
-- job_name (parent_job = the pipeline); a Reused one points at the Completed step it reuses (reused_from, its job).
-- reuse_key is the SHA-256 of what the step's result depends on; a Completed step with the same key in the workspace
-- is reused instead of run again.
CREATE TABLE pipeline_steps (
    workspace   VARCHAR(63)  NOT NULL,
    pipeline    VARCHAR(255) NOT NULL,
    step        VARCHAR(64)  NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    job_name    VARCHAR(255),
    run_id      VARCHAR(32),
    reuse_key   VARCHAR(64),
    reused_from VARCHAR(255),
    outputs     TEXT         NOT NULL,
    updated_at  BIGINT       NOT NULL,
    PRIMARY KEY (workspace, pipeline, step),
    FOREIGN KEY (workspace, pipeline) REFERENCES jobs (workspace, name) ON DELETE CASCADE
);
CREATE INDEX pipeline_steps_by_reuse_key ON pipeline_steps (workspace, reuse_key, status);
