-- The cluster's record of SSTs ([sst] cluster-history, issue 21). Still append-only.
--
-- The outbox is not a copy: a run is waiting to be published to a cluster table while it has
-- ended (or was interrupted) and this table holds no row saying that it was published there
-- with the outcome it has now. Its row for the cluster is composed from the history itself
-- when it is published, so a joiner, which cannot write to its server during its SST, pays
-- nothing for it, and a resumed run that now ends otherwise is published again.
CREATE TABLE cluster_publication (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id      VARCHAR(36)  NOT NULL REFERENCES run (id),
    -- the cluster table, schema.table, as [sst] cluster-history named it
    target      VARCHAR(129) NOT NULL,
    -- the outcome the published row carried (completed, failed, interrupted)
    outcome     VARCHAR(16)  NOT NULL,
    at_ms       BIGINT       NOT NULL
);
CREATE INDEX cluster_publication_by_run ON cluster_publication (run_id, target);

-- Attempts to publish that failed, and why (a missing grant, a read-only node, no server):
-- never a failed SST; sst-admin doctor shows the newest, with the grant that is missing.
CREATE TABLE cluster_publish_failure (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    target      VARCHAR(129)  NOT NULL,
    -- the SST run whose end tried, NULL for sst-admin publish
    by_run      VARCHAR(36),
    reason      VARCHAR(32)   NOT NULL,
    detail      VARCHAR(4096) NOT NULL,
    pending     INT           NOT NULL,
    at_ms       BIGINT        NOT NULL
);
