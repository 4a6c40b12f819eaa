-- Each post's content hash, and collector health and gaps.
-- New post columns go last: the appender fills posts in table order.

-- content_hash is earshot.ContentHash of the version stored, computed when
-- it is saved, so the pipeline can skip posts it holds unchanged. Rows
-- written before have 0, which PostHashes leaves out (they are stored
-- again, with a hash, the next time they come).
ALTER TABLE posts ADD COLUMN content_hash UBIGINT DEFAULT 0;
ALTER TABLE posts ALTER COLUMN content_hash SET NOT NULL;

-- One row per collector, replaced whole on each save.
CREATE TABLE health (
    collector       VARCHAR PRIMARY KEY,
    kind            VARCHAR NOT NULL,
    last_run        TIMESTAMP,
    last_success    TIMESTAMP,
    last_error      VARCHAR NOT NULL,
    last_error_at   TIMESTAMP,
    failures        BIGINT NOT NULL,
    backoff_ns      BIGINT NOT NULL,   -- in nanoseconds
    posts_last_hour BIGINT NOT NULL,
    updated_at      TIMESTAMP
);

-- Stretches of time a collector may have missed, replaced whole by ID.
CREATE TABLE gaps (
    id        VARCHAR PRIMARY KEY,
    collector VARCHAR NOT NULL,
    from_at   TIMESTAMP NOT NULL,
    to_at     TIMESTAMP,              -- NULL while the collector is stopped
    reason    VARCHAR NOT NULL,
    filled_at TIMESTAMP               -- NULL until a run collects across it
);
