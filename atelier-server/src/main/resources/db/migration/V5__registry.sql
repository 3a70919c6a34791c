-- MLflow model registry: registered models, their versions, tags and aliases, per workspace.
-- Portable SQL (SQLite and PostgreSQL). Version numbers come from a per-model counter, so a
-- deleted version's number is never given again. Renaming a model cascades to its children.
-- A deleted version stays as a row with current_stage 'Deleted_Internal', as in MLflow.

CREATE TABLE registered_models (
    workspace        VARCHAR(63)  NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    name             VARCHAR(256) NOT NULL,
    description      TEXT,
    creation_time    BIGINT       NOT NULL,
    last_update_time BIGINT       NOT NULL,
    next_version     BIGINT       NOT NULL,
    PRIMARY KEY (workspace, name)
);
CREATE INDEX registered_models_by_update ON registered_models (workspace, last_update_time);

CREATE TABLE registered_model_tags (
    workspace VARCHAR(63)  NOT NULL,
    name      VARCHAR(256) NOT NULL,
    key       VARCHAR(250) NOT NULL,
    value     TEXT         NOT NULL,
    PRIMARY KEY (workspace, name, key),
    FOREIGN KEY (workspace, name) REFERENCES registered_models (workspace, name) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE model_versions (
    workspace        VARCHAR(63)  NOT NULL,
    name             VARCHAR(256) NOT NULL,
    version          BIGINT       NOT NULL,
    creation_time    BIGINT       NOT NULL,
    last_update_time BIGINT       NOT NULL,
    description      TEXT         NOT NULL,
    current_stage    VARCHAR(20)  NOT NULL,
    source           TEXT         NOT NULL,
    run_id           VARCHAR(32),
    status           VARCHAR(20)  NOT NULL,
    run_link         TEXT         NOT NULL,
    PRIMARY KEY (workspace, name, version),
    FOREIGN KEY (workspace, name) REFERENCES registered_models (workspace, name) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX model_versions_by_run ON model_versions (workspace, run_id);

CREATE TABLE model_version_tags (
    workspace VARCHAR(63)  NOT NULL,
    name      VARCHAR(256) NOT NULL,
    version   BIGINT       NOT NULL,
    key       VARCHAR(250) NOT NULL,
    value     TEXT         NOT NULL,
    PRIMARY KEY (workspace, name, version, key),
    FOREIGN KEY (workspace, name, version) REFERENCES model_versions (workspace, name, version) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE registered_model_aliases (
    workspace VARCHAR(63)  NOT NULL,
    name      VARCHAR(256) NOT NULL,
    alias     VARCHAR(256) NOT NULL,
    version   BIGINT       NOT NULL,
    PRIMARY KEY (workspace, name, alias),
    FOREIGN KEY (workspace, name, version) REFERENCES model_versions (workspace, name, version) ON DELETE CASCADE ON UPDATE CASCADE
);
