-- V22: MLflow traces and MLflow 3 logged models.
-- MLflow traces (dev.atelier.server.tracing, docs/mlflow-compatibility.md "Traces"). Portable SQL for SQLite and
-- PostgreSQL (see V1). A trace's info lives here; its spans are the artifact traces.json under the experiment's
-- artifact root (<root>/traces/<request_id>/artifacts), written and read by the client through mlflow-artifacts.
-- A trace belongs to an experiment: deleting the experiment's row (garbage collection) deletes its traces.

-- request_id is MLflow 2's 32 hex digits or MLflow 3's "tr-" and 32 hex digits. execution_time_ms is 0 until the
-- trace ends. The previews are MLflow 3's request_preview/response_preview (absent for traces started over the 2.x API).
CREATE TABLE traces (
    workspace         VARCHAR(63)  NOT NULL,
    request_id        VARCHAR(100) NOT NULL,
    experiment_id     BIGINT       NOT NULL,
    timestamp_ms      BIGINT       NOT NULL,
    execution_time_ms BIGINT       NOT NULL,
    status            VARCHAR(32)  NOT NULL,
    client_request_id TEXT,
    request_preview   TEXT,
    response_preview  TEXT,
    PRIMARY KEY (workspace, request_id),
    FOREIGN KEY (workspace, experiment_id) REFERENCES experiments (workspace, experiment_id) ON DELETE CASCADE
);
CREATE INDEX traces_by_time ON traces (workspace, experiment_id, timestamp_ms);

CREATE TABLE trace_tags (
    workspace  VARCHAR(63)  NOT NULL,
    request_id VARCHAR(100) NOT NULL,
    key        VARCHAR(250) NOT NULL,
    value      TEXT         NOT NULL,
    PRIMARY KEY (workspace, request_id, key),
    FOREIGN KEY (workspace, request_id) REFERENCES traces (workspace, request_id) ON DELETE CASCADE
);

-- MLflow 2's request_metadata, MLflow 3's trace_metadata: the same key/value pairs.
CREATE TABLE trace_request_metadata (
    workspace  VARCHAR(63)  NOT NULL,
    request_id VARCHAR(100) NOT NULL,
    key        VARCHAR(250) NOT NULL,
    value      TEXT         NOT NULL,
    PRIMARY KEY (workspace, request_id, key),
    FOREIGN KEY (workspace, request_id) REFERENCES traces (workspace, request_id) ON DELETE CASCADE
);

-- MLflow 3's logged models (dev.atelier.server.loggedmodels, docs/mlflow-compatibility.md "Logged models"). model_id is
-- "m-" and 32 hex digits; the model's files are artifacts under artifact_location (<experiment root>/models/<id>/artifacts),
-- written by the client through mlflow-artifacts. Deleting one is soft (lifecycle_stage), as MLflow's is.
CREATE TABLE logged_models (
    workspace                 VARCHAR(63)  NOT NULL,
    model_id                  VARCHAR(64)  NOT NULL,
    experiment_id             BIGINT       NOT NULL,
    name                      VARCHAR(500) NOT NULL,
    artifact_location         TEXT         NOT NULL,
    creation_timestamp_ms     BIGINT       NOT NULL,
    last_updated_timestamp_ms BIGINT       NOT NULL,
    status                    VARCHAR(40)  NOT NULL,
    lifecycle_stage           VARCHAR(32)  NOT NULL,
    model_type                VARCHAR(500),
    source_run_id             VARCHAR(32),
    status_message            TEXT,
    PRIMARY KEY (workspace, model_id),
    FOREIGN KEY (workspace, experiment_id) REFERENCES experiments (workspace, experiment_id) ON DELETE CASCADE
);
CREATE INDEX logged_models_by_time ON logged_models (workspace, experiment_id, creation_timestamp_ms);

CREATE TABLE logged_model_tags (
    workspace VARCHAR(63)  NOT NULL,
    model_id  VARCHAR(64)  NOT NULL,
    key       VARCHAR(250) NOT NULL,
    value     TEXT         NOT NULL,
    PRIMARY KEY (workspace, model_id, key),
    FOREIGN KEY (workspace, model_id) REFERENCES logged_models (workspace, model_id) ON DELETE CASCADE
);

-- A param is written once, as a run's: a second value for a key is refused by the service.
CREATE TABLE logged_model_params (
    workspace VARCHAR(63)  NOT NULL,
    model_id  VARCHAR(64)  NOT NULL,
    key       VARCHAR(250) NOT NULL,
    value     TEXT         NOT NULL,
    PRIMARY KEY (workspace, model_id, key),
    FOREIGN KEY (workspace, model_id) REFERENCES logged_models (workspace, model_id) ON DELETE CASCADE
);

-- MLflow 3's LogOutputs: the logged models a run produced, at a step. Kept for lineage; runs/get does not show them yet.
CREATE TABLE logged_model_outputs (
    workspace VARCHAR(63) NOT NULL,
    run_uuid  VARCHAR(32) NOT NULL,
    model_id  VARCHAR(64) NOT NULL,
    step      BIGINT      NOT NULL,
    PRIMARY KEY (workspace, run_uuid, model_id, step),
    FOREIGN KEY (workspace, model_id) REFERENCES logged_models (workspace, model_id) ON DELETE CASCADE
);
