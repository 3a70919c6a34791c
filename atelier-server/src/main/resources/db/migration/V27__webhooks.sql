-- MLflow webhooks (docs/registry.md, "Webhooks"). Portable SQL for SQLite and PostgreSQL (see V1).
-- events: the subscribed entity.action pairs joined by commas (model_version.created,model_version_alias.created).
-- secret_name: the workspace secret holding the signing secret (encrypted with the master key), when there is one.
CREATE TABLE webhooks (
    workspace              VARCHAR(63)  NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    webhook_id             VARCHAR(64)  NOT NULL,
    name                   VARCHAR(256) NOT NULL,
    description            TEXT,
    url                    TEXT         NOT NULL,
    events                 TEXT         NOT NULL,
    status                 VARCHAR(16)  NOT NULL,
    secret_name            VARCHAR(128),
    creation_timestamp     BIGINT       NOT NULL,
    last_updated_timestamp BIGINT       NOT NULL,
    PRIMARY KEY (workspace, webhook_id)
);
