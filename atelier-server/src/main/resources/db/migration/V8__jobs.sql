-- Environments, compute targets, code snapshots and jobs (docs/jobs.md). Portable SQL for SQLite
-- and PostgreSQL (see V1): times are epoch milliseconds, flags SMALLINT 0/1, documents JSON text.

-- A version of an environment: 'process' (an executable on the compute host's PATH, with the
-- requirements text recorded for reproducibility) or 'image' (a container image reference).
CREATE TABLE environments (
    workspace    VARCHAR(63)  NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    name         VARCHAR(128) NOT NULL,
    version      INTEGER      NOT NULL,
    kind         VARCHAR(16)  NOT NULL,
    executable   TEXT,
    image        TEXT,
    requirements TEXT,
    description  TEXT         NOT NULL,
    created_by   VARCHAR(255) NOT NULL,
    created_at   BIGINT       NOT NULL,
    PRIMARY KEY (workspace, name, version)
);

-- Compute targets other than the built-in 'local'. settings holds the kind's fields as JSON.
CREATE TABLE compute_targets (
    workspace           VARCHAR(63)  NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    name                VARCHAR(128) NOT NULL,
    kind                VARCHAR(16)  NOT NULL,
    max_concurrent_jobs INTEGER      NOT NULL,
    settings            TEXT         NOT NULL,
    description         TEXT         NOT NULL,
    created_at          BIGINT       NOT NULL,
    updated_at          BIGINT       NOT NULL,
    PRIMARY KEY (workspace, name)
);

-- Content-addressed code snapshots: a snapshot is a list of (path, sha256) whose blobs live once
-- in the snapshot store, whatever the number of snapshots holding them. snapshot_id is the SHA-256
-- of the sorted manifest, so the same folder uploaded twice is one snapshot.
CREATE TABLE snapshots (
    workspace   VARCHAR(63) NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    snapshot_id VARCHAR(64) NOT NULL,
    file_count  INTEGER     NOT NULL,
    total_bytes BIGINT      NOT NULL,
    created_at  BIGINT      NOT NULL,
    PRIMARY KEY (workspace, snapshot_id)
);

CREATE TABLE snapshot_files (
    workspace   VARCHAR(63) NOT NULL,
    snapshot_id VARCHAR(64) NOT NULL,
    path        TEXT        NOT NULL,
    sha256      VARCHAR(64) NOT NULL,
    size_bytes  BIGINT      NOT NULL,
    PRIMARY KEY (workspace, snapshot_id, path),
    FOREIGN KEY (workspace, snapshot_id) REFERENCES snapshots (workspace, snapshot_id) ON DELETE CASCADE
);

-- Jobs and their queue. A replica claims a queued job by moving it to Preparing with its owner id
-- and a lease it renews while the job runs; a job whose lease expired was lost with its replica.
-- spec is the validated job document (secret names only, never values).
CREATE TABLE jobs (
    workspace        VARCHAR(63)  NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    name             VARCHAR(255) NOT NULL,
    queue_seq        BIGINT       NOT NULL,
    job_type         VARCHAR(16)  NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    compute          VARCHAR(128) NOT NULL,
    parent_job       VARCHAR(255),
    trial_index      INTEGER,
    spec             TEXT         NOT NULL,
    experiment_id    VARCHAR(32)  NOT NULL,
    run_id           VARCHAR(32)  NOT NULL,
    snapshot_id      VARCHAR(64),
    created_by       VARCHAR(255) NOT NULL,
    created_at       BIGINT       NOT NULL,
    prepared_at      BIGINT,
    started_at       BIGINT,
    ended_at         BIGINT,
    exit_code        INTEGER,
    reason           TEXT,
    result           TEXT,
    cancel_requested SMALLINT     NOT NULL,
    lease_owner      VARCHAR(64),
    lease_expires    BIGINT,
    PRIMARY KEY (workspace, name)
);
CREATE UNIQUE INDEX jobs_by_queue_seq ON jobs (queue_seq);
CREATE INDEX jobs_by_status ON jobs (status, queue_seq);
CREATE INDEX jobs_by_parent ON jobs (workspace, parent_job);

-- Captured stdout/stderr lines of a job, in order (seq), so that logs can be followed from any replica.
CREATE TABLE job_log_lines (
    workspace VARCHAR(63)  NOT NULL,
    job_name  VARCHAR(255) NOT NULL,
    seq       BIGINT       NOT NULL,
    stream    VARCHAR(8)   NOT NULL,
    logged_at BIGINT       NOT NULL,
    line      TEXT         NOT NULL,
    PRIMARY KEY (workspace, job_name, seq),
    FOREIGN KEY (workspace, job_name) REFERENCES jobs (workspace, name) ON DELETE CASCADE
);
