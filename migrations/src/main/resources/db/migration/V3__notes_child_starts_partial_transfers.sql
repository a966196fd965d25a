-- What the hardening of 0.2.0 records beyond V2. Still append-only.

-- Things a run noticed and dealt with without failing, for sst-admin inspect: a connection
-- refused because it did not come from the donor, keys dropped from the donor's
-- backup-my.cnf, a log archive directory refused, a partial backup removed ...
CREATE TABLE run_note (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id      VARCHAR(36)   NOT NULL REFERENCES run (id),
    stage       VARCHAR(64)   NOT NULL,
    kind        VARCHAR(32)   NOT NULL,
    detail      VARCHAR(4096) NOT NULL,
    at_ms       BIGINT        NOT NULL
);
CREATE INDEX run_note_by_run ON run_note (run_id, id);

-- Each child process as it starts: its pid with the process's own start time and the
-- program, so that sst-admin cleanup kills that process and never a later one that reused
-- the pid, nor anything whose command line merely mentions a recorded path.
CREATE TABLE child_start (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id          VARCHAR(36)   NOT NULL REFERENCES run (id),
    stage           VARCHAR(64)   NOT NULL,
    pid             BIGINT        NOT NULL,
    pid_started_ms  BIGINT,
    program         VARCHAR(4096) NOT NULL,
    at_ms           BIGINT        NOT NULL
);
CREATE INDEX child_start_by_run ON child_start (run_id, id);

-- Transfers are now recorded when they fail too, with the bytes that did arrive, and say
-- what they carried (magic: the info files; backup: the backup). NULL in rows written by
-- 0.1.0, which recorded only complete transfers and named them by stage alone.
ALTER TABLE transfer ADD COLUMN complete BOOLEAN;
ALTER TABLE transfer ADD COLUMN what VARCHAR(32);
