-- V33: MLflow 3: the spans of traces kept in the database, the metrics linked to logged models, registered scorers.
--
-- The spans of MLflow traces kept in the database (dev.atelier.server.tracing, docs/mlflow-compatibility.md
-- "Traces"), as MLflow 3's SQL store keeps them when they arrive over OTLP (POST /v1/traces). Such a trace carries the
-- tag mlflow.trace.spansLocation = TRACKING_STORE and is read back with its spans (GetTrace, BatchGetTraces); traces
-- whose client uploads traces.json keep no rows here. Portable SQL for SQLite and PostgreSQL.
--
-- One row per span: span_id is the OpenTelemetry span id as 16 hex digits, parent_span_id likewise (NULL for a root).
-- content is the span as OTLP's Span message in protobuf JSON (snake_case, ids base64, times as numbers), written back
-- as sent; the other columns are what the server reads without parsing it. A span logged again replaces the old row.
CREATE TABLE trace_spans (
    workspace            VARCHAR(63)  NOT NULL,
    request_id           VARCHAR(100) NOT NULL,
    span_id              VARCHAR(32)  NOT NULL,
    parent_span_id       VARCHAR(32),
    name                 TEXT         NOT NULL,
    start_time_unix_nano BIGINT       NOT NULL,
    end_time_unix_nano   BIGINT       NOT NULL,
    status               VARCHAR(32)  NOT NULL,
    content              TEXT         NOT NULL,
    PRIMARY KEY (workspace, request_id, span_id),
    FOREIGN KEY (workspace, request_id) REFERENCES traces (workspace, request_id) ON DELETE CASCADE
);

-- MLflow 3's metrics linked to a logged model (dev.atelier.server.loggedmodels, docs/mlflow-compatibility.md "Logged
-- models"): a log-metric or log-batch metric with model_id (and dataset_name / dataset_digest) is also kept here, as
-- MLflow's SQL store keeps it in its logged_model_metrics, with the run it was logged in. The logged model answers them
-- as data.metrics; SearchLoggedModels filters (metrics.<key>, datasets) and orders (the latest value) by them.
-- is_nan as in metrics (V1): SQLite cannot keep a NaN, so value is 0 then.
CREATE TABLE logged_model_metrics (
    workspace      VARCHAR(63)      NOT NULL,
    model_id       VARCHAR(64)      NOT NULL,
    key            VARCHAR(250)     NOT NULL,
    timestamp_ms   BIGINT           NOT NULL,
    step           BIGINT           NOT NULL,
    run_uuid       VARCHAR(32)      NOT NULL,
    value          DOUBLE PRECISION NOT NULL,
    is_nan         SMALLINT         NOT NULL,
    dataset_name   VARCHAR(500),
    dataset_digest VARCHAR(36),
    PRIMARY KEY (workspace, model_id, key, timestamp_ms, step, run_uuid),
    FOREIGN KEY (workspace, model_id) REFERENCES logged_models (workspace, model_id) ON DELETE CASCADE,
    FOREIGN KEY (run_uuid) REFERENCES runs (run_uuid) ON DELETE CASCADE
);

-- MLflow 3's registered scorers (dev.atelier.server.scorers, docs/mlflow-compatibility.md "Scorers"): a scorer is a
-- name in an experiment with one id (scorer_id, a UUID) and numbered versions, each a serialized scorer (JSON text the
-- client writes and reads; the server does not run it). They go with their experiment.
CREATE TABLE scorers (
    workspace     VARCHAR(63)  NOT NULL,
    experiment_id BIGINT       NOT NULL,
    name          VARCHAR(256) NOT NULL,
    scorer_id     VARCHAR(36)  NOT NULL,
    PRIMARY KEY (workspace, experiment_id, name),
    FOREIGN KEY (workspace, experiment_id) REFERENCES experiments (workspace, experiment_id) ON DELETE CASCADE
);

CREATE TABLE scorer_versions (
    workspace         VARCHAR(63)  NOT NULL,
    experiment_id     BIGINT       NOT NULL,
    name              VARCHAR(256) NOT NULL,
    version           INTEGER      NOT NULL,
    serialized_scorer TEXT         NOT NULL,
    creation_time_ms  BIGINT       NOT NULL,
    PRIMARY KEY (workspace, experiment_id, name, version),
    FOREIGN KEY (workspace, experiment_id, name) REFERENCES scorers (workspace, experiment_id, name) ON DELETE CASCADE
);
