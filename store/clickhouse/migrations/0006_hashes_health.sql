-- Each post's content hash: earshot.ContentHash of the version, computed
-- when it is saved, so the pipeline can skip posts stored unchanged. Rows
-- written before read as 0, which PostHashes leaves out (they are stored
-- again, with a hash, the next time they come). One column per statement,
-- as in 0005; in cluster mode the Distributed table is made again with it.
ALTER TABLE {{local "posts"}}{{onCluster}} {{addColumn}} content_hash UInt64;
{{redistribute "posts" "cityHash64(id)"}};

-- Collector health, one row per collector: the last save wins (version is
-- a write counter, wall-clock nanoseconds). Queries read with FINAL. Zero
-- times are 0 (1970-01-01); backoff is in nanoseconds.
CREATE TABLE IF NOT EXISTS {{local "health"}}{{onCluster}}
(
    collector String,
    kind {{lc}},
    last_run {{time}},
    last_success {{time}},
    last_error String,
    last_error_at {{time}},
    failures Int64,
    backoff Int64,
    posts_last_hour Int64,
    updated_at {{time}},
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "health" "version"}}
ORDER BY collector;

-- Stretches of time a collector may have missed: the last save of a gap
-- wins, as for health. to_at is 0 while the collector is stopped,
-- filled_at 0 until a run collects across the gap.
CREATE TABLE IF NOT EXISTS {{local "gaps"}}{{onCluster}}
(
    id String,
    collector {{lc}},
    from_at {{time}},
    to_at {{time}},
    reason String,
    filled_at {{time}},
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "gaps" "version"}}
ORDER BY id;
