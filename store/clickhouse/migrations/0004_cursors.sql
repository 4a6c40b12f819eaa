-- Collector cursors: the last save wins.
CREATE TABLE IF NOT EXISTS {{local "cursors"}}{{onCluster}}
(
    collector String,
    cursor String,
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "cursors" "version"}}
ORDER BY collector;
