-- Secrets vault and audit log. Portable SQL for SQLite and PostgreSQL (see V1).

-- A secret's name and metadata; its values live in secret_versions. Deleting the workspace
-- deletes its secrets.
CREATE TABLE secrets (
    workspace      VARCHAR(63)  NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    name           VARCHAR(128) NOT NULL,
    description    TEXT         NOT NULL,
    latest_version INTEGER      NOT NULL,
    created_by     VARCHAR(255) NOT NULL,
    created_at     BIGINT       NOT NULL,
    updated_at     BIGINT       NOT NULL,
    PRIMARY KEY (workspace, name)
);

-- Every version of a secret, encrypted with AES-256-GCM under the master key key_id.
-- nonce and ciphertext (with its 16-byte tag) are base64 text, so the column types are portable.
CREATE TABLE secret_versions (
    workspace  VARCHAR(63)  NOT NULL,
    name       VARCHAR(128) NOT NULL,
    version    INTEGER      NOT NULL,
    key_id     VARCHAR(64)  NOT NULL,
    nonce      TEXT         NOT NULL,
    ciphertext TEXT         NOT NULL,
    created_by VARCHAR(255) NOT NULL,
    created_at BIGINT       NOT NULL,
    PRIMARY KEY (workspace, name, version),
    FOREIGN KEY (workspace, name) REFERENCES secrets (workspace, name) ON DELETE CASCADE
);
CREATE INDEX secret_versions_by_key ON secret_versions (key_id);

-- The audit log. No foreign key to workspaces: events outlive the workspace they happened in.
-- event_id is a random UUID; events are ordered by (event_time, event_id).
CREATE TABLE audit_events (
    event_id       VARCHAR(36)  PRIMARY KEY,
    event_time     BIGINT       NOT NULL,
    principal      VARCHAR(255) NOT NULL,
    workspace      VARCHAR(63),
    action         TEXT         NOT NULL,
    target         TEXT         NOT NULL,
    outcome        VARCHAR(16)  NOT NULL,
    status         INTEGER      NOT NULL,
    client_address VARCHAR(64)  NOT NULL
);
CREATE INDEX audit_events_by_time ON audit_events (event_time, event_id);
CREATE INDEX audit_events_by_workspace ON audit_events (workspace, event_time, event_id);
CREATE INDEX audit_events_by_principal ON audit_events (principal, event_time, event_id);
