-- Upload limits (docs/security.md, "Upload limits"): unfinished data upload sessions and snapshot
-- blobs no snapshot refers to expire after --upload-expiry and count against the workspace's upload
-- quota. Portable SQL for SQLite and PostgreSQL (see V1): times are epoch milliseconds.

-- A resumable data upload session (its chunks are files under <data-dir>/uploads/<workspace>/<id>).
-- size_bytes is the sum of the chunks acknowledged. A session the sweep expired keeps its row with
-- expired_at set for a week, so that calls on it answer 410 naming the expiry rather than 404.
CREATE TABLE upload_sessions (
    workspace        VARCHAR(63) NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    upload_id        VARCHAR(32) NOT NULL,
    created_at       BIGINT      NOT NULL,
    last_activity_at BIGINT      NOT NULL,
    size_bytes       BIGINT      NOT NULL,
    expired_at       BIGINT,
    PRIMARY KEY (workspace, upload_id)
);
CREATE INDEX upload_sessions_last_activity ON upload_sessions (last_activity_at);

-- A snapshot blob this server stored (file <data-dir>/snapshots/<workspace>/<xx>/<sha256>).
-- last_used_at is when it was last uploaded, named by a manifest (missing-blobs) or put in a
-- snapshot; a blob no snapshot_files row names and unused for --upload-expiry is swept.
CREATE TABLE snapshot_blobs (
    workspace    VARCHAR(63) NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    sha256       VARCHAR(64) NOT NULL,
    size_bytes   BIGINT      NOT NULL,
    last_used_at BIGINT      NOT NULL,
    PRIMARY KEY (workspace, sha256)
);
CREATE INDEX snapshot_blobs_last_used ON snapshot_blobs (last_used_at);
CREATE INDEX snapshot_files_blob ON snapshot_files (workspace, sha256);

-- Blobs of existing snapshots: referenced, so never swept while their snapshot exists.
INSERT INTO snapshot_blobs (workspace, sha256, size_bytes, last_used_at)
SELECT workspace, sha256, MAX(size_bytes), 0 FROM snapshot_files GROUP BY workspace, sha256;
