-- Episodes (one conversation per watch and trouble), the threads notifiers
-- answer in, and silences. Each save writes a row; the last save of a key
-- wins (version, as for alerts); queries read with FINAL. body is the
-- record as JSON; the columns beside it are what queries select on.
-- Small tables: replicated whole in cluster mode.
CREATE TABLE IF NOT EXISTS {{local "episodes"}}{{onCluster}}
(
    id String,
    watch String,
    opened_at {{time}},
    updated_at {{time}},
    body String,
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "episodes" "version"}}
ORDER BY id;

-- ref is what a receiver needs to answer in an episode's conversation
-- (a Slack message's ts).
CREATE TABLE IF NOT EXISTS {{local "episode_threads"}}{{onCluster}}
(
    episode_id String,
    receiver String,
    ref String,
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "episode_threads" "version"}}
ORDER BY (episode_id, receiver);

CREATE TABLE IF NOT EXISTS {{local "silences"}}{{onCluster}}
(
    id String,
    starts_at {{time}},
    ends_at {{time}},
    body String,
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "silences" "version"}}
ORDER BY id;

-- The watches an incident affects (none: any watch its services name).
-- Rows written before read as none. Incidents are not sharded: one table.
ALTER TABLE {{local "incidents"}}{{onCluster}} {{addColumn}} watches Array(String);
