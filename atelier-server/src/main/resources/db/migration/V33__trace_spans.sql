-- V33: the spans of MLflow traces kept in the database (dev.atelier.server.tracing, docs/mlflow-compatibility.md
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
