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
