-- Posts sorted for time windows, and a rollup the dashboard's series read
-- instead of posts. Outside cluster mode only (in cluster mode this
-- migration does nothing: posts stay sorted by source and id behind the
-- Distributed table, and series read posts).
--
-- 1. The posts table is made again sorted by (created_at, source, id), so
--    a window reads only its own granules: CREATE ... AS posts copies the
--    columns in place (whatever migrations added them), the stored
--    version of each post is copied over (FINAL: a link is written as a
--    row of the same version, which wins by coming later, an order a
--    plain copy does not keep), and the tables swap names. A post's creation time is now
--    part of what identifies it to the table (versions of a post share it:
--    it is when the post was written, not when it was collected).
-- 2. post_rollup holds, per minute (bucket, nanoseconds since the epoch,
--    a multiple of 60 s), watch and source, the posts, the scored, the
--    negative and the positive ones and the sum of the scores of the
--    scored ones in nano-units (integers, so adding and taking away is
--    exact). The row with watch '' counts every post once; a post also
--    counts once under each of its watches. SummingMergeTree adds rows of
--    the same key up as parts merge; queries add them up with sum().
-- 3. The store writes a version of a post to post_rollup_in (Null: it
--    keeps nothing) with sign 1 when it becomes the stored version, and
--    the version it replaces with sign -1; the materialized view turns
--    each into its rollup rows, added up per minute, watch and source
--    within each insert (so an import's rows are few before any merge).
--    So the rollup follows the stored versions when a post is collected
--    again or edited (see SavePosts).
-- 4. The rollup is filled from the posts already stored (FINAL: the
--    stored version of each).
--
-- Every statement can run again: a migration stopped half-way starts over
-- from the posts table in place.
{{- if not .Cluster}}
DROP TABLE IF EXISTS {{table "posts_by_time"}};
DROP TABLE IF EXISTS {{table "posts_by_source"}};
CREATE TABLE {{table "posts_by_time"}} AS {{table "posts"}}
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM({{dateTime "created_at"}})
ORDER BY (created_at, source, id)
{{- with postTTL}}
TTL {{.}}
{{- end}}
{{- if .TTL}}
SETTINGS ttl_only_drop_parts = 1
{{- end}};
{{- if .SkipIndexes}}
ALTER TABLE {{table "posts_by_time"}} ADD INDEX IF NOT EXISTS post_id_bloom id TYPE bloom_filter GRANULARITY 4;
{{- end}}
INSERT INTO {{table "posts_by_time"}} SELECT * FROM {{table "posts"}} FINAL;
RENAME TABLE {{table "posts"}} TO {{table "posts_by_source"}}, {{table "posts_by_time"}} TO {{table "posts"}};
DROP TABLE {{table "posts_by_source"}};

DROP TABLE IF EXISTS {{table "post_rollup_mv"}};
DROP TABLE IF EXISTS {{table "post_rollup_in"}};
DROP TABLE IF EXISTS {{table "post_rollup"}};
CREATE TABLE {{table "post_rollup"}}
(
    bucket Int64,
    watch String,
    source String,
    posts Int64,
    scored Int64,
    negative Int64,
    positive Int64,
    score_nano Int64
)
ENGINE = SummingMergeTree((posts, scored, negative, positive, score_nano))
PARTITION BY toYYYYMM({{rollupDateTime}})
ORDER BY (watch, bucket, source)
{{- with rollupTTL}}
TTL {{.}}
{{- end}};
CREATE TABLE {{table "post_rollup_in"}}
(
    created_at Int64,
    source String,
    watches Array(String),
    label String,
    score Float64,
    sign Int8
)
ENGINE = Null;
CREATE MATERIALIZED VIEW {{table "post_rollup_mv"}} TO {{table "post_rollup"}} AS
SELECT intDiv(created_at, {{rollupWidth}}) * {{rollupWidth}} AS bucket, watch, source,
    sum(toInt64(sign)) AS posts,
    sum(toInt64(sign * (label != ''))) AS scored,
    sum(toInt64(sign * (label = 'negative'))) AS negative,
    sum(toInt64(sign * (label = 'positive'))) AS positive,
    sum(toInt64(sign * (label != '') * round(score * 1000000000))) AS score_nano
FROM {{table "post_rollup_in"}}
ARRAY JOIN arrayPushFront(arrayFilter(w -> w != '', watches), '') AS watch
GROUP BY bucket, watch, source;
INSERT INTO {{table "post_rollup_in"}} (created_at, source, watches, label, score, sign)
SELECT {{ns "created_at"}}, source, watches, label, score, 1
FROM {{table "posts"}} FINAL;
{{- end}}
