-- Foundation schema: workspaces and MLflow-compatible tracking.
-- Portable SQL: the same file runs on SQLite and PostgreSQL. Ids are allocated by the server
-- (run ids are UUIDs, experiment ids come from a per-workspace counter), so no dialect-specific
-- auto-increment is needed. Booleans are SMALLINT 0/1 for the same reason.

CREATE TABLE workspaces (
    name               VARCHAR(63) PRIMARY KEY,
    description        TEXT        NOT NULL,
    creation_time      BIGINT      NOT NULL,
    last_update_time   BIGINT      NOT NULL,
    next_experiment_id BIGINT      NOT NULL
);

CREATE TABLE workspace_tags (
    workspace VARCHAR(63)  NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    key       VARCHAR(250) NOT NULL,
    value     TEXT         NOT NULL,
    PRIMARY KEY (workspace, key)
);

CREATE TABLE experiments (
    workspace         VARCHAR(63) NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    experiment_id     BIGINT      NOT NULL,
    name              TEXT        NOT NULL,
    artifact_location TEXT        NOT NULL,
    lifecycle_stage   VARCHAR(32) NOT NULL,
    creation_time     BIGINT      NOT NULL,
    last_update_time  BIGINT      NOT NULL,
    deleted_time      BIGINT,
    PRIMARY KEY (workspace, experiment_id),
    UNIQUE (workspace, name)
);
CREATE INDEX experiments_by_stage ON experiments (workspace, lifecycle_stage, deleted_time);

CREATE TABLE experiment_tags (
    workspace     VARCHAR(63)  NOT NULL,
    experiment_id BIGINT       NOT NULL,
    key           VARCHAR(250) NOT NULL,
    value         TEXT         NOT NULL,
    PRIMARY KEY (workspace, experiment_id, key),
    FOREIGN KEY (workspace, experiment_id) REFERENCES experiments (workspace, experiment_id) ON DELETE CASCADE
);

CREATE TABLE runs (
    run_uuid        VARCHAR(32) PRIMARY KEY,
    workspace       VARCHAR(63) NOT NULL,
    experiment_id   BIGINT      NOT NULL,
    name            TEXT        NOT NULL,
    user_id         TEXT        NOT NULL,
    status          VARCHAR(20) NOT NULL,
    start_time      BIGINT,
    end_time        BIGINT,
    lifecycle_stage VARCHAR(20) NOT NULL,
    artifact_uri    TEXT        NOT NULL,
    deleted_time    BIGINT,
    FOREIGN KEY (workspace, experiment_id) REFERENCES experiments (workspace, experiment_id) ON DELETE CASCADE
);
-- The default order of runs/search is start_time DESC, run_uuid.
CREATE INDEX runs_by_experiment ON runs (workspace, experiment_id, start_time DESC, run_uuid);
CREATE INDEX runs_by_deletion ON runs (lifecycle_stage, deleted_time);

-- Every logged metric point (history); there is no primary key so that appends stay cheap.
CREATE TABLE metrics (
    run_uuid  VARCHAR(32)      NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
    key       VARCHAR(250)     NOT NULL,
    step      BIGINT           NOT NULL,
    timestamp BIGINT           NOT NULL,
    value     DOUBLE PRECISION NOT NULL,
    is_nan    SMALLINT         NOT NULL
);
CREATE INDEX metrics_history ON metrics (run_uuid, key, step, timestamp);

-- The value MLflow reports as a run's metric: the point with the greatest (step, timestamp, value).
CREATE TABLE latest_metrics (
    run_uuid  VARCHAR(32)      NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
    key       VARCHAR(250)     NOT NULL,
    step      BIGINT           NOT NULL,
    timestamp BIGINT           NOT NULL,
    value     DOUBLE PRECISION NOT NULL,
    is_nan    SMALLINT         NOT NULL,
    PRIMARY KEY (run_uuid, key)
);
CREATE INDEX latest_metrics_by_value ON latest_metrics (key, value, run_uuid);

CREATE TABLE params (
    run_uuid VARCHAR(32)  NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
    key      VARCHAR(250) NOT NULL,
    value    TEXT         NOT NULL,
    PRIMARY KEY (run_uuid, key)
);
CREATE INDEX params_by_value ON params (key, value);

CREATE TABLE tags (
    run_uuid VARCHAR(32)  NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
    key      VARCHAR(250) NOT NULL,
    value    TEXT         NOT NULL,
    PRIMARY KEY (run_uuid, key)
);
CREATE INDEX tags_by_value ON tags (key, value);

CREATE TABLE datasets (
    dataset_uuid  VARCHAR(32) PRIMARY KEY,
    workspace     VARCHAR(63) NOT NULL,
    experiment_id BIGINT      NOT NULL,
    name          TEXT        NOT NULL,
    digest        TEXT        NOT NULL,
    source_type   TEXT        NOT NULL,
    source        TEXT        NOT NULL,
    schema        TEXT,
    profile       TEXT,
    UNIQUE (workspace, experiment_id, name, digest),
    FOREIGN KEY (workspace, experiment_id) REFERENCES experiments (workspace, experiment_id) ON DELETE CASCADE
);

CREATE TABLE run_inputs (
    run_uuid     VARCHAR(32) NOT NULL REFERENCES runs (run_uuid) ON DELETE CASCADE,
    dataset_uuid VARCHAR(32) NOT NULL REFERENCES datasets (dataset_uuid) ON DELETE CASCADE,
    PRIMARY KEY (run_uuid, dataset_uuid)
);
CREATE INDEX run_inputs_by_dataset ON run_inputs (dataset_uuid);

CREATE TABLE run_input_tags (
    run_uuid     VARCHAR(32)  NOT NULL,
    dataset_uuid VARCHAR(32)  NOT NULL,
    key          VARCHAR(255) NOT NULL,
    value        TEXT         NOT NULL,
    PRIMARY KEY (run_uuid, dataset_uuid, key),
    FOREIGN KEY (run_uuid, dataset_uuid) REFERENCES run_inputs (run_uuid, dataset_uuid) ON DELETE CASCADE
);
