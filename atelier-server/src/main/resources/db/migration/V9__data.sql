-- Datastores, versioned data assets and their lineage (dev.atelier.server.data, docs/data.md).
-- Portable SQL for SQLite and PostgreSQL (booleans are SMALLINT 0/1, times are epoch milliseconds).

CREATE TABLE datastores (
    workspace   VARCHAR(63)  NOT NULL,
    name        VARCHAR(255) NOT NULL,
    type        VARCHAR(16)  NOT NULL,
    description TEXT         NOT NULL,
    settings    TEXT         NOT NULL,
    created_by  VARCHAR(255) NOT NULL,
    created_at  BIGINT       NOT NULL,
    PRIMARY KEY (workspace, name)
);

-- One row per asset name: hands out version numbers, which are never reused, even after a delete.
CREATE TABLE data_assets (
    workspace      VARCHAR(63)  NOT NULL,
    name           VARCHAR(255) NOT NULL,
    latest_version INTEGER      NOT NULL,
    created_at     BIGINT       NOT NULL,
    PRIMARY KEY (workspace, name)
);

CREATE TABLE data_versions (
    workspace   VARCHAR(63)  NOT NULL,
    name        VARCHAR(255) NOT NULL,
    version     INTEGER      NOT NULL,
    type        VARCHAR(16)  NOT NULL,
    datastore   VARCHAR(255) NOT NULL,
    path        TEXT         NOT NULL,
    description TEXT         NOT NULL,
    tags        TEXT         NOT NULL,
    digest      VARCHAR(80)  NOT NULL,
    size_bytes  BIGINT       NOT NULL,
    file_count  INTEGER      NOT NULL,
    profile     TEXT,
    archived    SMALLINT     NOT NULL,
    created_by  VARCHAR(255) NOT NULL,
    created_at  BIGINT       NOT NULL,
    PRIMARY KEY (workspace, name, version),
    FOREIGN KEY (workspace, name) REFERENCES data_assets (workspace, name)
);

-- Which runs read (input) or wrote (output) which data version. Kept when the version is deleted.
CREATE TABLE data_lineage (
    workspace    VARCHAR(63)  NOT NULL,
    data_name    VARCHAR(255) NOT NULL,
    data_version INTEGER      NOT NULL,
    run_id       VARCHAR(32)  NOT NULL,
    direction    VARCHAR(8)   NOT NULL,
    source       VARCHAR(255) NOT NULL,
    recorded_at  BIGINT       NOT NULL,
    PRIMARY KEY (workspace, data_name, data_version, run_id, direction)
);
CREATE INDEX data_lineage_by_run ON data_lineage (workspace, run_id);
