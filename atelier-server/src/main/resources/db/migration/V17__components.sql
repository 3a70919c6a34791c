-- Registered components (dev.atelier.server.components, docs/components.md). Portable SQL for SQLite
-- and PostgreSQL (see V1): times are epoch milliseconds, flags SMALLINT 0/1, documents JSON text.

-- One immutable version of a component. version is text (Azure allows 1.0.0); seq orders a name's
-- versions by registration, so "latest" is the highest seq (not the largest version string).
-- document is the registered document with its code snapshot and environment pinned
-- (code: snapshot:<id>, environment: azureml:<name>:<version>); archived is the only column that changes.
CREATE TABLE components (
    workspace        VARCHAR(63)  NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    name             VARCHAR(255) NOT NULL,
    version          VARCHAR(128) NOT NULL,
    seq              BIGINT       NOT NULL,
    document         TEXT         NOT NULL,
    snapshot_id      VARCHAR(64),
    environment      VARCHAR(300),
    is_deterministic SMALLINT     NOT NULL,
    archived         SMALLINT     NOT NULL,
    created_by       VARCHAR(255) NOT NULL,
    created_at       BIGINT       NOT NULL,
    PRIMARY KEY (workspace, name, version)
);
CREATE UNIQUE INDEX components_by_seq ON components (workspace, name, seq);
