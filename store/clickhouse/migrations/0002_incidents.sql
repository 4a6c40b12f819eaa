-- Incidents: the last save wins (version is a write counter).
CREATE TABLE IF NOT EXISTS {{local "incidents"}}{{onCluster}}
(
    id String,
    source {{lc}},
    title String,
    status {{lc}},
    severity {{lc}},
    services Array(String),
    started_at {{time}},
    resolved_at {{time}},
    url String,
    updated_at {{time}},
    updates String,
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "incidents" "version"}}
ORDER BY id;
