-- Authentication and authorization: users, API tokens, portal sessions, role assignments.
-- Portable SQL for SQLite and PostgreSQL (booleans are SMALLINT 0/1, times are epoch milliseconds).
-- No secret is stored in clear: passwords as Argon2id PHC strings, tokens and session ids as SHA-256 hex.
-- Role assignments and tokens name a workspace without a foreign key: the auth domain removes them
-- itself when a workspace is deleted (WorkspaceParticipant), as domains do not share tables.

CREATE TABLE users (
    username             VARCHAR(64) PRIMARY KEY,
    display_name         TEXT        NOT NULL,
    email                TEXT        NOT NULL,
    password_hash        TEXT        NOT NULL,
    server_admin         SMALLINT    NOT NULL,
    disabled             SMALLINT    NOT NULL,
    must_change_password SMALLINT    NOT NULL,
    creation_time        BIGINT      NOT NULL,
    last_update_time     BIGINT      NOT NULL
);

CREATE TABLE api_tokens (
    token_id        VARCHAR(32)  PRIMARY KEY,
    token_hash      VARCHAR(64)  NOT NULL UNIQUE,
    username        VARCHAR(64)  NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    name            VARCHAR(250) NOT NULL,
    workspace       VARCHAR(63),
    read_only       SMALLINT     NOT NULL,
    creation_time   BIGINT       NOT NULL,
    expiration_time BIGINT,
    revocation_time BIGINT
);
CREATE INDEX api_tokens_by_user ON api_tokens (username);
CREATE INDEX api_tokens_by_workspace ON api_tokens (workspace);

CREATE TABLE sessions (
    session_hash    VARCHAR(64) PRIMARY KEY,
    username        VARCHAR(64) NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    creation_time   BIGINT      NOT NULL,
    expiration_time BIGINT      NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (username);
CREATE INDEX sessions_by_expiration ON sessions (expiration_time);

CREATE TABLE role_assignments (
    workspace VARCHAR(63) NOT NULL,
    username  VARCHAR(64) NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    role      VARCHAR(32) NOT NULL,
    PRIMARY KEY (workspace, username)
);
CREATE INDEX role_assignments_by_user ON role_assignments (username);
