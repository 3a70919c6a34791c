-- Batch endpoints and deployments (docs/batch-endpoints.md). Portable SQL for SQLite and PostgreSQL (see V1): times
-- are epoch milliseconds, documents JSON text.

-- auth_mode is key or aad_token; default_deployment names one of the endpoint's deployments (NULL: none yet).
CREATE TABLE batch_endpoints (
    workspace          VARCHAR(63)  NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    name               VARCHAR(32)  NOT NULL,
    description        TEXT         NOT NULL,
    auth_mode          VARCHAR(16)  NOT NULL,
    default_deployment VARCHAR(32),
    tags               TEXT         NOT NULL,
    created_by         VARCHAR(255) NOT NULL,
    created_at         BIGINT       NOT NULL,
    updated_at         BIGINT       NOT NULL,
    PRIMARY KEY (workspace, name)
);

-- document is the validated deployment (model pinned to model_name/model_version, code as a snapshot id).
CREATE TABLE batch_deployments (
    workspace     VARCHAR(63)  NOT NULL,
    endpoint      VARCHAR(32)  NOT NULL,
    name          VARCHAR(32)  NOT NULL,
    document      TEXT         NOT NULL,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL,
    PRIMARY KEY (workspace, endpoint, name),
    FOREIGN KEY (workspace, endpoint) REFERENCES batch_endpoints (workspace, name) ON DELETE CASCADE
);

-- The batch scoring jobs an endpoint started (they outlive the endpoint: no foreign key to it). output is the
-- registered data:<name>:<version> once the output is registered, so a resumed job never registers it twice.
CREATE TABLE batch_jobs (
    workspace  VARCHAR(63)  NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    job_name   VARCHAR(255) NOT NULL,
    endpoint   VARCHAR(32)  NOT NULL,
    deployment VARCHAR(32)  NOT NULL,
    output     VARCHAR(512),
    created_at BIGINT       NOT NULL,
    PRIMARY KEY (workspace, job_name)
);

CREATE INDEX batch_jobs_endpoint ON batch_jobs (workspace, endpoint, created_at);

-- One row per finished mini-batch of a job: file_index is the input file's position in the sorted listing, chunk the
-- mini-batch's position in that file (rows mode) or 0 (files mode, where file_index is the first file's). state is
-- done or failed; a resumed job skips every mini-batch with a row, and assembles the part files of the done ones.
CREATE TABLE batch_mini_batches (
    workspace   VARCHAR(63)  NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    job_name    VARCHAR(255) NOT NULL,
    file_index  INTEGER      NOT NULL,
    chunk       INTEGER      NOT NULL,
    state       VARCHAR(8)   NOT NULL,
    item_count  BIGINT       NOT NULL,
    attempts    INTEGER      NOT NULL,
    error       TEXT,
    finished_at BIGINT       NOT NULL,
    PRIMARY KEY (workspace, job_name, file_index, chunk)
);
