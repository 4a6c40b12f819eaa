-- A rollup of the posts the series and the dashboard read instead of
-- posts: per minute (bucket_us, microseconds since the epoch, a multiple
-- of 60 s), watch and source, the posts, the scored, the negative and the
-- positive ones, and the sum of the scored ones' scores in nano-units
-- (integers, so adding and taking away is exact). The row with watch ''
-- counts every post once; a post also counts once under each of its
-- watches.
--
-- The store keeps it in the transaction that changes posts: SavePosts
-- takes away what the stored versions it replaces counted and adds what
-- the new ones count, EraseAuthor and EraseAuthorData take away what they
-- delete (see rollup.go). Filled here from the posts in place.
CREATE TABLE post_rollup (
    watch      VARCHAR NOT NULL,
    bucket_us  BIGINT NOT NULL,
    source     VARCHAR NOT NULL,
    posts      BIGINT NOT NULL,
    scored     BIGINT NOT NULL,
    negative   BIGINT NOT NULL,
    positive   BIGINT NOT NULL,
    score_nano BIGINT NOT NULL,
    PRIMARY KEY (watch, bucket_us, source)
);

INSERT INTO post_rollup
SELECT watch, us - ((us % 60000000) + 60000000) % 60000000 AS bucket_us, source,
    count(*), count(*) FILTER (WHERE label <> ''), count(*) FILTER (WHERE label = 'negative'),
    count(*) FILTER (WHERE label = 'positive'),
    coalesce(sum(CASE WHEN label <> '' THEN round(score * 1000000000)::BIGINT ELSE 0 END), 0)
FROM (
    SELECT epoch_us(created_at) AS us, source, label, score,
        unnest(list_prepend('', list_filter(watches, w -> w <> ''))) AS watch
    FROM posts
)
GROUP BY watch, bucket_us, source;
