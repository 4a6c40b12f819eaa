-- The rollup of 0017 in cluster mode (outside cluster mode this migration
-- does nothing: 0017 made it). Posts stay sorted by source and ID there.
--
-- 1. post_rollup_local, on every server, holds the rollup rows written on
--    that server's shard (replicated to the shard's other replicas), and
--    post_rollup, a Distributed table in front of them, is what queries
--    read: they add rows up with sum(), so which shard holds a row does
--    not matter.
-- 2. post_rollup_in (Null) and its materialized view are on every server;
--    the view writes to the server's own post_rollup_local. The store
--    inserts into post_rollup_in on the server it talks to, with
--    insert_deduplicate off (see Open): a replicated table drops a block
--    equal to one it had, and two equal blocks of rollup rows (a post
--    saved, erased and saved again) must both count.
-- 3. The rollup is filled from the posts already stored (FINAL: posts are
--    sharded by ID, so each shard settles its own posts' versions).
--
-- Every statement can run again: a migration stopped half-way starts over.
{{- if .Cluster}}
DROP TABLE IF EXISTS {{table "post_rollup_mv"}}{{onCluster}};
DROP TABLE IF EXISTS {{table "post_rollup_in"}}{{onCluster}};
DROP TABLE IF EXISTS {{table "post_rollup"}}{{onCluster}};
DROP TABLE IF EXISTS {{local "post_rollup"}}{{onCluster}};
CREATE TABLE {{local "post_rollup"}}{{onCluster}}
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
ENGINE = {{engine "SummingMergeTree" "post_rollup" "(posts, scored, negative, positive, score_nano)"}}
PARTITION BY toYYYYMM({{rollupDateTime}})
ORDER BY (watch, bucket, source)
{{- with rollupTTL}}
TTL {{.}}
{{- end}};
{{distributed "post_rollup" "rand()"}};
CREATE TABLE {{table "post_rollup_in"}}{{onCluster}}
(
    created_at Int64,
    source String,
    watches Array(String),
    label String,
    score Float64,
    sign Int8
)
ENGINE = Null;
CREATE MATERIALIZED VIEW {{table "post_rollup_mv"}}{{onCluster}} TO {{local "post_rollup"}} AS
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
