-- What comms published (or asked to publish) about incidents
-- (earshot.Publication). Each save writes a row; the last save of an ID
-- wins (version is a write counter); queries read with FINAL. body is the
-- publication as JSON; the columns beside it are what queries select on.
-- Small: replicated whole in cluster mode.
CREATE TABLE IF NOT EXISTS {{local "publications"}}{{onCluster}}
(
    id String,
    incident_id String,
    created_at {{time}},
    body String,
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "publications" "version"}}
ORDER BY id;
