-- State several servers share (docs/operations.md, "Running several servers"). Portable SQL for SQLite and PostgreSQL
-- (see V1).

-- Where a snapshot blob lives in the shared artifact store when the database is PostgreSQL: the object key below the
-- store's ".snapshots" area, unique per upload. NULL for a blob only on one server's disk (SQLite) or not uploaded yet;
-- a blob is held (for missing-blobs and create) when its row has a key, and the sweep deletes the key it removed the
-- row of, so a blob uploaded again meanwhile (under a new key) is never deleted.
ALTER TABLE snapshot_blobs ADD COLUMN shared_key VARCHAR(200);

-- The chunks of a data upload session in the shared artifact store (PostgreSQL): one object per chunk, below the
-- store's ".uploads" area. A file of a session is its chunks in offset order; the primary key lets one append win at
-- an offset when two servers receive chunks for the same place at once.
CREATE TABLE upload_parts (
    workspace    VARCHAR(63)   NOT NULL,
    upload_id    VARCHAR(32)   NOT NULL,
    path         VARCHAR(1000) NOT NULL,
    start_offset BIGINT        NOT NULL,
    size_bytes   BIGINT        NOT NULL,
    object_key   VARCHAR(200)  NOT NULL,
    PRIMARY KEY (workspace, upload_id, path, start_offset),
    FOREIGN KEY (workspace, upload_id) REFERENCES upload_sessions (workspace, upload_id) ON DELETE CASCADE
);
