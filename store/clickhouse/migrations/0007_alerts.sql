-- Alerts and every attempt to deliver them. Each save of an alert or a
-- delivery writes a row; the last save of an ID wins (version is a write
-- counter, wall-clock nanoseconds). Queries read with FINAL. labels is a
-- JSON object, why the alert's earshot.Why as JSON; zero times are 0
-- (1970-01-01). Both tables are small: replicated whole in cluster mode.
CREATE TABLE IF NOT EXISTS {{local "alerts"}}{{onCluster}}
(
    id String,
    kind {{lc}},
    spike_id String,
    watch String,
    metric {{lc}},
    severity {{lc}},
    labels String,
    incident_id String,
    confidence Float64,
    summary String,
    why String,
    starts_at {{time}},
    ends_at {{time}},
    raised_at {{time}},
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "alerts" "version"}}
ORDER BY id;

-- ok is 1 when the attempt delivered the notification.
CREATE TABLE IF NOT EXISTS {{local "deliveries"}}{{onCluster}}
(
    id String,
    receiver String,
    group_key String,
    alert_ids Array(String),
    attempt Int64,
    attempted_at {{time}},
    ok UInt8,
    error String,
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "deliveries" "version"}}
ORDER BY id;
