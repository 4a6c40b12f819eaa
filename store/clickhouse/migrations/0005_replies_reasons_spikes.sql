-- Replies and complaint reasons on posts: the post a reply answers or
-- quotes ('' for none), and why a negative post is negative ('' for none).
-- Rows written before read them as ''. One column per statement, so that
-- on servers without ADD COLUMN IF NOT EXISTS a column already there fails
-- only its own statement (which the store then takes as done). In cluster
-- mode the Distributed table is made again with the new columns.
ALTER TABLE {{local "posts"}}{{onCluster}} {{addColumn}} parent_id String;
ALTER TABLE {{local "posts"}}{{onCluster}} {{addColumn}} reason {{lc}};
{{redistribute "posts" "cityHash64(id)"}};

-- Spikes the detectors found. A spike is saved again as it grows, when it
-- ends and when it is linked to an incident: the last save wins (version
-- is a write counter, wall-clock nanoseconds). Queries read with FINAL.
-- end_at is 0 (1970-01-01) while the spike goes on; bucket is the bucket
-- width in nanoseconds.
CREATE TABLE IF NOT EXISTS {{local "spikes"}}{{onCluster}}
(
    id String,
    scope_kind {{lc}},
    scope_value {{lc}},
    metric {{lc}},
    start_at {{time}},
    peak_at {{time}},
    end_at {{time}},
    bucket Int64,
    observed Float64,
    expected Float64,
    score Float64,
    incident_id String,
    link_confidence Float64,
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "spikes" "version"}}
ORDER BY id;
