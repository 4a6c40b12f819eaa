-- Replies and complaint reasons on posts, and the spikes the detectors find.
-- New post columns go last: the appender fills posts in table order.

-- DuckDB adds a column with no constraint; NOT NULL follows once the
-- default has filled the rows already there.
ALTER TABLE posts ADD COLUMN parent_id VARCHAR DEFAULT ''; -- the post replied to or quoted; '' for none
ALTER TABLE posts ALTER COLUMN parent_id SET NOT NULL;
ALTER TABLE posts ADD COLUMN reason VARCHAR DEFAULT '';    -- why a negative post is negative; '' for none
ALTER TABLE posts ALTER COLUMN reason SET NOT NULL;

CREATE TABLE spikes (
    id              VARCHAR PRIMARY KEY,
    scope_kind      VARCHAR NOT NULL,  -- all, watch or source
    scope_value     VARCHAR NOT NULL,
    metric          VARCHAR NOT NULL,
    start_at        TIMESTAMP NOT NULL,
    peak_at         TIMESTAMP,
    end_at          TIMESTAMP,         -- NULL while the spike goes on
    bucket_ns       BIGINT NOT NULL,   -- bucket width in nanoseconds
    observed        DOUBLE NOT NULL,
    expected        DOUBLE NOT NULL,
    score           DOUBLE NOT NULL,
    incident_id     VARCHAR NOT NULL,
    link_confidence DOUBLE NOT NULL
);
