-- Drafts of the designer (docs/designer.md): a pipeline being drawn, owned by the user who created it, saved as a
-- new version at every change. Portable SQL for SQLite and PostgreSQL (see V1): times are epoch milliseconds,
-- documents JSON text.

-- latest_version is the version a save must start from (a save from an older one is refused: another tab saved first).
CREATE TABLE designer_drafts (
    workspace      VARCHAR(63)  NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    id             VARCHAR(36)  NOT NULL,
    name           VARCHAR(255) NOT NULL,
    owner          VARCHAR(255) NOT NULL,
    latest_version INTEGER      NOT NULL,
    created_at     BIGINT       NOT NULL,
    updated_at     BIGINT       NOT NULL,
    PRIMARY KEY (workspace, id)
);

CREATE INDEX designer_drafts_by_owner ON designer_drafts (workspace, owner, updated_at);

-- document is {"pipeline": <the pipeline job document>, "layout": {<step>: {"x": .., "y": ..}}}.
CREATE TABLE designer_draft_versions (
    workspace VARCHAR(63) NOT NULL,
    id        VARCHAR(36) NOT NULL,
    version   INTEGER     NOT NULL,
    document  TEXT        NOT NULL,
    saved_at  BIGINT      NOT NULL,
    PRIMARY KEY (workspace, id, version),
    FOREIGN KEY (workspace, id) REFERENCES designer_drafts (workspace, id) ON DELETE CASCADE
);
