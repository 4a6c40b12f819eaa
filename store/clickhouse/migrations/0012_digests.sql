-- Scheduled digests as they were sent (earshot.SentDigest), for /digests.
-- The last save of an ID wins (version is a write counter); queries read
-- with FINAL. Zero times are 0 (1970-01-01). Small: replicated whole in
-- cluster mode.
CREATE TABLE IF NOT EXISTS {{local "digests"}}{{onCluster}}
(
    id String,
    name String,
    from_at {{time}},
    to_at {{time}},
    sent_at {{time}},
    format String,
    subject String,
    html String,
    markdown String,
    recipients Array(String),
    ok UInt8,
    error String,
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "digests" "version"}}
ORDER BY id;
