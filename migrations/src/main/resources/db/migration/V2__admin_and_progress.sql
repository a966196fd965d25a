-- What sst-admin needs beyond V1. Still append-only.

-- The run's command line (as mysqld gave it; values of --password/--auth are masked),
-- so `sst-admin resume` can rebuild the run without mysqld.
CREATE TABLE run_argument (
    run_id  VARCHAR(36)   NOT NULL REFERENCES run (id),
    pos     INT           NOT NULL,
    val     VARCHAR(8192) NOT NULL,
    PRIMARY KEY (run_id, pos)
);

-- Who drives a run: its first process, then whoever resumes it. The newest row counts
-- when deciding whether the run is running or interrupted.
CREATE TABLE run_owner (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id          VARCHAR(36) NOT NULL REFERENCES run (id),
    pid             BIGINT      NOT NULL,
    pid_started_ms  BIGINT,
    at_ms           BIGINT      NOT NULL,
    reason          VARCHAR(64) NOT NULL
);
CREATE INDEX run_owner_by_run ON run_owner (run_id, id);

-- Copies of the child logs of each run, gzipped inside the history directory, so the
-- next SST (which archives the datadir's mariabackup.*.log) never loses them.
CREATE TABLE run_log (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id      VARCHAR(36)   NOT NULL REFERENCES run (id),
    stage       VARCHAR(64)   NOT NULL,
    source      VARCHAR(4096) NOT NULL,
    stored      VARCHAR(512)  NOT NULL,
    bytes       BIGINT        NOT NULL,
    at_ms       BIGINT        NOT NULL
);
CREATE INDEX run_log_by_run ON run_log (run_id, id);

-- Byte counts sampled about once a second while a stream runs (sst-admin watch).
CREATE TABLE progress (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id      VARCHAR(36) NOT NULL REFERENCES run (id),
    stage       VARCHAR(64) NOT NULL,
    bytes       BIGINT      NOT NULL,
    total       BIGINT,
    at_ms       BIGINT      NOT NULL
);
CREATE INDEX progress_by_run ON progress (run_id, id);

-- What sst-admin cleanup and resume did, and what a new SST found left by an older one.
CREATE TABLE admin_action (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id      VARCHAR(36),
    action      VARCHAR(32)   NOT NULL,
    detail      VARCHAR(4096) NOT NULL,
    pid         BIGINT        NOT NULL,
    at_ms       BIGINT        NOT NULL
);
CREATE INDEX admin_action_by_run ON admin_action (run_id, id);

CREATE INDEX run_by_role_start ON run (role, started_ms DESC);
CREATE INDEX run_end_by_outcome ON run_end (outcome);
