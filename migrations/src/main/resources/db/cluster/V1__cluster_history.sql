-- The cluster's record of SSTs ([sst] cluster-history, issue 21): one row per run and role,
-- in an InnoDB table that Galera replicates to every node. ${table} is the table the option
-- names; Flyway keeps this schema's version in ${table}_schema_history beside it.
--
-- The key is the run's id alone: every SST process draws its own UUID, so a run is one role on
-- one node, and the donor's and the joiner's rows of one SST differ in it. They are joined by
-- peer_run_id, which a joiner of ours learns from our donor's info file (a stock peer sends
-- none). Times are epoch milliseconds (UTC), as in each node's own history.
CREATE TABLE `${table}` (
    run_id          CHAR(36)       NOT NULL,
    role            VARCHAR(8)     NOT NULL,
    -- the node, as its server says when the row is published (@@wsrep_node_name, @@wsrep_node_address)
    node_name       VARCHAR(255),
    node_address    VARCHAR(255),
    datadir         VARCHAR(4096)  NOT NULL,
    peer            VARCHAR(255),
    peer_run_id     CHAR(36),
    method          VARCHAR(64),
    -- ours, the server's (VERSION() when published), mariadb-backup's (from the run's own logs)
    version         VARCHAR(32)    NOT NULL,
    server_version  VARCHAR(64),
    backup_version  VARCHAR(64),
    started_ms      BIGINT         NOT NULL,
    ended_ms        BIGINT,
    -- completed, failed or interrupted (the process died without recording an end)
    outcome         VARCHAR(16)    NOT NULL,
    exit_code       INT,
    exit_meaning    VARCHAR(255),
    last_stage      VARCHAR(64),
    bytes           BIGINT         NOT NULL,
    -- each stage and its milliseconds, in order: "preflight=12 listen=3 receive_magic=140 ..."
    stage_ms        VARCHAR(2048),
    -- the wire's protection: none (encrypt=0), TLS with its mode, protocol and cipher suite, or encrypt=1
    wire            VARCHAR(1024),
    -- the error line of a run that failed
    error           VARCHAR(4096),
    published_ms    BIGINT         NOT NULL,
    PRIMARY KEY (run_id),
    KEY by_peer_run (peer_run_id),
    KEY by_start (started_ms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
