-- Endpoint monitoring (dev.atelier.server.monitoring, docs/endpoints-monitoring.md).
-- Portable SQL for SQLite and PostgreSQL (booleans are SMALLINT 0/1, times are epoch milliseconds).

-- Partial aggregates of one (endpoint, deployment, minute): every server replica writes its own, and a
-- minute whose requests arrive after it was flushed gets another row. Readers add up the rows of a minute.
CREATE TABLE endpoint_metrics (
    workspace          VARCHAR(63)  NOT NULL,
    endpoint           VARCHAR(255) NOT NULL,
    deployment         VARCHAR(255) NOT NULL,
    minute_start       BIGINT       NOT NULL,
    request_count      BIGINT       NOT NULL,
    client_errors      BIGINT       NOT NULL,
    server_errors      BIGINT       NOT NULL,
    latency_sum_nanos  BIGINT       NOT NULL,
    latency_histogram  TEXT         NOT NULL,
    request_bytes_sum  BIGINT       NOT NULL,
    request_bytes_max  BIGINT       NOT NULL,
    response_bytes_sum BIGINT       NOT NULL,
    response_bytes_max BIGINT       NOT NULL,
    recorded_at        BIGINT       NOT NULL
);
CREATE INDEX endpoint_metrics_by_time ON endpoint_metrics (workspace, endpoint, minute_start);

-- Drift reports: the logged inputs of a period compared with a reference table; features as JSON.
CREATE TABLE endpoint_drift_reports (
    workspace      VARCHAR(63)  NOT NULL,
    endpoint       VARCHAR(255) NOT NULL,
    id             VARCHAR(32)  NOT NULL,
    reference      VARCHAR(300) NOT NULL,
    deployment     VARCHAR(255),
    period_from    BIGINT       NOT NULL,
    period_to      BIGINT       NOT NULL,
    reference_rows BIGINT       NOT NULL,
    current_rows   BIGINT       NOT NULL,
    drift_detected SMALLINT     NOT NULL,
    features       TEXT         NOT NULL,
    created_by     VARCHAR(255) NOT NULL,
    created_at     BIGINT       NOT NULL,
    PRIMARY KEY (workspace, endpoint, id)
);
CREATE INDEX endpoint_drift_reports_by_time ON endpoint_drift_reports (workspace, endpoint, created_at);
