-- Posts, one row per collected version. ReplacingMergeTree keeps the row
-- with the highest version (collected_at in nanoseconds) per (source, id),
-- so a replay never duplicates and an older version saved later loses.
-- Queries read with FINAL. Monthly partitions let retention drop months.
CREATE TABLE IF NOT EXISTS {{local "posts"}}{{onCluster}}
(
    id String,
    source {{lc}},
    kind {{lc}},
    url String,
    author_id String,
    author_handle String,
    author_name String,
    author_followers Int64,
    text String,
    lang {{lc}},
    created_at {{time}},
    collected_at {{time}},
    watches Array({{lc}}),
    score Float64,
    label {{lc}},
{{- if .Map}}
    parts Map(String, Float64),
{{- else}}
    part_models Array(String),
    part_scores Array(Float64),
{{- end}}
    incident_id String,
    version UInt64
{{- if .SkipIndexes}},
    INDEX post_id_bloom id TYPE bloom_filter GRANULARITY 4
{{- end}}
)
ENGINE = {{engine "ReplacingMergeTree" "posts" "version"}}
PARTITION BY toYYYYMM({{dateTime "created_at"}})
ORDER BY (source, id)
{{- with postTTL}}
TTL {{.}}
{{- end}}
{{- if .TTL}}
SETTINGS ttl_only_drop_parts = 1
{{- end}};

{{distributed "posts" "cityHash64(id)"}};
