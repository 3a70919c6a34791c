-- Deployment generations unique across re-creations (docs/endpoints.md). Portable SQL for SQLite and PostgreSQL (see V1).
-- The last generation a deployment name ever had in an endpoint, kept when the deployment (or its endpoint) is deleted:
-- a deployment created again under the same name starts above it, so that a slow start of the old deployment is
-- never taken for the new one (servers tell generations apart by number alone). Gone with the workspace.
CREATE TABLE deployment_generations (
    workspace VARCHAR(63) NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    endpoint  VARCHAR(63) NOT NULL,
    name      VARCHAR(32) NOT NULL,
    last      BIGINT      NOT NULL,
    PRIMARY KEY (workspace, endpoint, name)
);
INSERT INTO deployment_generations (workspace, endpoint, name, last)
    SELECT workspace, endpoint, name, generation FROM online_deployments;
