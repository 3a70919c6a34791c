-- Compute instances: per-user notebook servers (docs/notebooks.md). Portable SQL for SQLite and
-- PostgreSQL (see V1): times are epoch milliseconds, the instance document JSON text.

-- One instance: its owner (the only user who opens it), the compute target it runs on, the
-- document as accepted (description, idle_time_before_shutdown_minutes, setup_scripts, schedules,
-- image), its state (Creating, Running, Stopping, Stopped, Failed) with the reason of a failure,
-- and the last activity Jupyter reported (idle shutdown counts from it).
CREATE TABLE compute_instances (
    workspace     VARCHAR(63)  NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    name          VARCHAR(63)  NOT NULL,
    owner         VARCHAR(255) NOT NULL,
    compute       VARCHAR(63)  NOT NULL,
    document      TEXT         NOT NULL,
    state         VARCHAR(16)  NOT NULL,
    state_message TEXT,
    last_activity BIGINT       NOT NULL,
    created_by    VARCHAR(255) NOT NULL,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL,
    PRIMARY KEY (workspace, name)
);
