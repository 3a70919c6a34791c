-- V30: MLflow 3's trace assessments and the traces linked to a run (dev.atelier.server.tracing,
-- docs/mlflow-compatibility.md "Traces"). Portable SQL for SQLite and PostgreSQL (booleans are SMALLINT 0/1, times are
-- epoch milliseconds). Both belong to their trace: deleting the trace (or its experiment) deletes them.

-- One feedback or expectation on a trace (assessments.proto). assessment_id is "a-" and 32 hex digits. body holds the
-- fields only ever read back whole, as JSON: span_id, source, feedback or expectation, rationale, metadata, error.
-- overrides names the assessment this one supersedes; that one is then valid = 0 until this one is deleted.
CREATE TABLE trace_assessments (
    workspace           VARCHAR(63)  NOT NULL,
    assessment_id       VARCHAR(64)  NOT NULL,
    request_id          VARCHAR(100) NOT NULL,
    name                VARCHAR(250) NOT NULL,
    kind                VARCHAR(20)  NOT NULL,
    body                TEXT         NOT NULL,
    create_time_ms      BIGINT       NOT NULL,
    last_update_time_ms BIGINT       NOT NULL,
    overrides           VARCHAR(64),
    valid               SMALLINT     NOT NULL,
    PRIMARY KEY (workspace, assessment_id),
    FOREIGN KEY (workspace, request_id) REFERENCES traces (workspace, request_id) ON DELETE CASCADE
);
CREATE INDEX trace_assessments_by_trace ON trace_assessments (workspace, request_id, create_time_ms);

-- MLflow 3's LinkTracesToRun (mlflow.genai.evaluate links the traces it scored to its run). A linked trace is found by
-- searching on the run (metadata.mlflow.sourceRun), as MLflow's SQL store finds it through its entity associations.
CREATE TABLE trace_run_links (
    workspace  VARCHAR(63)  NOT NULL,
    request_id VARCHAR(100) NOT NULL,
    run_uuid   VARCHAR(32)  NOT NULL,
    PRIMARY KEY (workspace, request_id, run_uuid),
    FOREIGN KEY (workspace, request_id) REFERENCES traces (workspace, request_id) ON DELETE CASCADE,
    FOREIGN KEY (run_uuid) REFERENCES runs (run_uuid) ON DELETE CASCADE
);
CREATE INDEX trace_run_links_by_run ON trace_run_links (workspace, run_uuid);
