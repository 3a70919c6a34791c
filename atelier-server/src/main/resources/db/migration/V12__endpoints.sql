-- Online endpoints and their deployments (docs/endpoints.md). Portable SQL for SQLite and
-- PostgreSQL (see V1): times are epoch milliseconds, maps JSON text.

-- An endpoint: a stable scoring URL with an auth mode and a traffic split over its deployments.
-- traffic and mirror_traffic map deployment names to percentages; an empty traffic map means the
-- first deployment takes all traffic. The keys of a key-auth endpoint live in the workspace's
-- secrets (secret endpoint-<name>-keys), encrypted with the server's master key.
CREATE TABLE online_endpoints (
    workspace      VARCHAR(63)  NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    name           VARCHAR(63)  NOT NULL,
    description    TEXT         NOT NULL,
    auth_mode      VARCHAR(16)  NOT NULL,
    traffic        TEXT         NOT NULL,
    mirror_traffic TEXT         NOT NULL,
    tags           TEXT         NOT NULL,
    created_by     VARCHAR(255) NOT NULL,
    created_at     BIGINT       NOT NULL,
    updated_at     BIGINT       NOT NULL,
    PRIMARY KEY (workspace, name)
);

-- A deployment of a model version behind an endpoint. spec is the deployment document as
-- accepted (model pinned to a version, code as a snapshot reference); generation counts its
-- updates so that every server replica rolls over to the same one.
CREATE TABLE online_deployments (
    workspace          VARCHAR(63)  NOT NULL,
    endpoint           VARCHAR(63)  NOT NULL,
    name               VARCHAR(32)  NOT NULL,
    spec               TEXT         NOT NULL,
    generation         BIGINT       NOT NULL,
    provisioning_state VARCHAR(16)  NOT NULL,
    error              TEXT,
    created_at         BIGINT       NOT NULL,
    updated_at         BIGINT       NOT NULL,
    PRIMARY KEY (workspace, endpoint, name),
    FOREIGN KEY (workspace, endpoint) REFERENCES online_endpoints (workspace, name) ON DELETE CASCADE
);
