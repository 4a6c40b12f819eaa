-- Support's follow-up queue: every save or move writes a new version.
CREATE TABLE IF NOT EXISTS {{local "followups"}}{{onCluster}}
(
    id String,
    source {{lc}},
    author_id String,
    author_handle String,
    author_name String,
    author_followers Int64,
    post_ids Array(String),
    reason String,
    priority Int64,
    state {{lc}},
    assignee String,
    incident_id String,
    notes String,
    due {{time}},
    created_at {{time}},
    updated_at {{time}},
    version UInt64
)
ENGINE = {{engine "ReplacingMergeTree" "followups" "version"}}
ORDER BY id;
