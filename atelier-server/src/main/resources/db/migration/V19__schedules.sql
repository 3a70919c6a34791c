-- Schedules that submit jobs on a cron or recurrence trigger (docs/schedules.md). Portable SQL for SQLite and
-- PostgreSQL (see V1): times are epoch milliseconds, flags SMALLINT 0/1, documents JSON text.

-- document is the validated schedule document, its create_job resolved to the job document each fire submits.
-- next_fire_at is the next due time (NULL: none left, or disabled); a server fires it by moving it, with a
-- conditional UPDATE, from the value it read to the following one, so each due time fires once whatever the
-- number of servers.
CREATE TABLE schedules (
    workspace     VARCHAR(63)  NOT NULL REFERENCES workspaces (name) ON DELETE CASCADE,
    name          VARCHAR(255) NOT NULL,
    document      TEXT         NOT NULL,
    enabled       SMALLINT     NOT NULL,
    next_fire_at  BIGINT,
    last_fired_at BIGINT,
    last_job      VARCHAR(255),
    last_error    TEXT,
    created_by    VARCHAR(255) NOT NULL,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL,
    PRIMARY KEY (workspace, name)
);

CREATE INDEX schedules_due ON schedules (next_fire_at);

-- Every fire of a schedule: the due time (or the time of a manual trigger), the job it made or why it made none.
CREATE TABLE schedule_fires (
    workspace  VARCHAR(63)  NOT NULL,
    schedule   VARCHAR(255) NOT NULL,
    due_at     BIGINT       NOT NULL,
    fired_at   BIGINT       NOT NULL,
    manual     SMALLINT     NOT NULL,
    job_name   VARCHAR(255),
    error      TEXT,
    FOREIGN KEY (workspace, schedule) REFERENCES schedules (workspace, name) ON DELETE CASCADE
);

CREATE INDEX schedule_fires_by_schedule ON schedule_fires (workspace, schedule, fired_at);
