-- The run history. Every table is append-only: rows are inserted, never updated or
-- deleted, so a crash at any instant leaves a prefix of the truth (promises P4, P10).
-- Times are epoch milliseconds (UTC).

CREATE TABLE run (
    id              VARCHAR(36)   PRIMARY KEY,
    role            VARCHAR(16)   NOT NULL,
    datadir         VARCHAR(4096) NOT NULL,
    peer            VARCHAR(1024),
    pid             BIGINT        NOT NULL,
    -- with pid, tells a live owner from a reused pid (promise P9)
    pid_started_ms  BIGINT,
    tool_version    VARCHAR(64)   NOT NULL,
    started_ms      BIGINT        NOT NULL
);
CREATE INDEX run_by_start ON run (started_ms DESC);

-- One row per state-machine transition: a stage started, completed (with the outcome
-- that chose the next state) or failed (with the exit code it maps to).
CREATE TABLE event (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id      VARCHAR(36)   NOT NULL REFERENCES run (id),
    stage       VARCHAR(64)   NOT NULL,
    kind        VARCHAR(16)   NOT NULL CHECK (kind IN ('started', 'completed', 'failed')),
    outcome     VARCHAR(64),
    at_ms       BIGINT        NOT NULL,
    error_code  INT,
    message     VARCHAR(4096)
);
CREATE INDEX event_by_run ON event (run_id, id);

-- Written once when the process ends the run itself. A run with no row here either is
-- still running or was interrupted (its owner is gone).
CREATE TABLE run_end (
    run_id      VARCHAR(36)   PRIMARY KEY REFERENCES run (id),
    ended_ms    BIGINT        NOT NULL,
    outcome     VARCHAR(16)   NOT NULL CHECK (outcome IN ('completed', 'failed')),
    exit_code   INT           NOT NULL,
    message     VARCHAR(4096)
);

-- Child processes, argv already masked by the caller.
CREATE TABLE child_process (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id      VARCHAR(36)   NOT NULL REFERENCES run (id),
    stage       VARCHAR(64)   NOT NULL,
    argv        VARCHAR(8192) NOT NULL,
    exit_code   INT,
    started_ms  BIGINT        NOT NULL,
    ended_ms    BIGINT        NOT NULL,
    log_path    VARCHAR(4096)
);
CREATE INDEX child_by_run ON child_process (run_id, id);

-- Byte counts of each completed stream.
CREATE TABLE transfer (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id      VARCHAR(36)   NOT NULL REFERENCES run (id),
    stage       VARCHAR(64)   NOT NULL,
    bytes       BIGINT        NOT NULL,
    started_ms  BIGINT        NOT NULL,
    ended_ms    BIGINT        NOT NULL
);
CREATE INDEX transfer_by_run ON transfer (run_id, id);

-- Named facts about a run (log paths, the position reported, the peer's address ...).
CREATE TABLE run_attribute (
    run_id      VARCHAR(36)   NOT NULL REFERENCES run (id),
    name        VARCHAR(64)   NOT NULL,
    val         VARCHAR(4096) NOT NULL,
    at_ms       BIGINT        NOT NULL,
    PRIMARY KEY (run_id, name)
);
