-- post_ranks: the scored posts' rows sorted by score, which TopNegative
-- reads its candidate rows from (the most negative first: a bound on the
-- score reads only the first granules) instead of the posts of the whole
-- window. Outside cluster mode only (in cluster mode this migration does
-- nothing, and TopNegative reads posts).
--
-- A materialized view copies every row inserted into posts that is
-- scored, every version of a post (and the copy LinkPosts writes): a
-- row of post_ranks is a candidate only, TopNegative keeps the posts whose
-- stored version ranks where the row does. The table is a plain
-- MergeTree: a later version with the same score and time but other
-- watches must not replace an earlier one. EraseAuthor deletes the
-- author's rows here too; retention drops its months with the posts'.
-- Filled from the posts in place, every version.
{{- if not .Cluster}}
DROP TABLE IF EXISTS {{table "post_ranks_mv"}};
DROP TABLE IF EXISTS {{table "post_ranks"}};
CREATE TABLE {{table "post_ranks"}}
(
    score Float64,
    created_at {{time}},
    id String,
    source {{lc}},
    author_id String,
    label {{lc}},
    watches Array({{lc}})
)
ENGINE = MergeTree
PARTITION BY toYYYYMM({{dateTime "created_at"}})
ORDER BY (score, created_at)
{{- with postTTL}}
TTL {{.}}
{{- end}}
{{- if .TTL}}
SETTINGS ttl_only_drop_parts = 1
{{- end}};
CREATE MATERIALIZED VIEW {{table "post_ranks_mv"}} TO {{table "post_ranks"}} AS
SELECT score, created_at, id, source, author_id, label, watches
FROM {{table "posts"}}
WHERE label != '';
INSERT INTO {{table "post_ranks"}} (score, created_at, id, source, author_id, label, watches)
SELECT score, created_at, id, source, author_id, label, watches
FROM {{table "posts"}}
WHERE label != '';
{{- end}}
