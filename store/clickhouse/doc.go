// Package clickhouse is the Earshot store for scale: an earshot.Store on
// ClickHouse, spoken to over the native protocol with
// github.com/ClickHouse/clickhouse-go/v2.
//
// Open connects, creates the database if it is missing and applies the
// embedded migrations (migrations/*.sql, recorded in schema_migrations):
//
//	cfg, err := clickhouse.ParseDSN("clickhouse://default:@127.0.0.1:9000/earshot")
//	st, err := clickhouse.Open(ctx, cfg)
//
// Posts live in a ReplacingMergeTree sorted by (created_at, source, id)
// (by (source, id) in cluster mode) whose version is the time a post was
// collected, partitioned by month of creation, so a window of time reads
// only its own granules (PREWHERE on the creation time). Saving a post
// again adds a row; queries of posts read with FINAL, so a replay never
// counts twice and the latest collected version wins even when an older
// one is saved later.
//
// Series read post_rollup instead of posts where they can: counts and
// summed sentiment per minute, watch and source, in a SummingMergeTree
// filled by a materialized view (in cluster mode a ReplicatedSummingMergeTree
// per shard, post_rollup_local, which each server's view writes to, behind
// a Distributed post_rollup; migration 0018). SavePosts reads the
// stored version of each post it saves and writes the rollup rows of the
// new version (sign 1) and of the one it replaces (sign -1), so the rollup
// counts stored versions only; EraseAuthor and DropExpired take their
// posts out of it too. A series whose bucket is a multiple of a minute
// reads the rollup for the window's whole minutes and the posts for the
// rest. TopNegative ranks rows of any version without FINAL, from
// post_ranks (the scored rows sorted by score, filled by a materialized
// view from posts; migration 0019, not in cluster mode) under a bound on
// the score, and settles the versions of the first few in Go as FINAL
// would (highest version, then latest part). Migration 0017 moves an
// existing database's posts to the time-sorted table and fills the rollup;
// 0018 fills it in cluster mode. Saves go out as batched inserts.
// Each row keeps the earshot.ContentHash of its version (content_hash,
// computed as it is saved); PostHashes reads a batch of IDs with FINAL in
// one query, the IDs bound as a tuple for IN (18.16 takes no array there).
// Incidents, follow-ups, spikes, collector health, gaps and cursors are
// ReplacingMergeTrees too, versioned by write, so the last save wins.
//
// The SQL is written for every server from 18.16 on. SELECT version()
// picks a Dialect: newer servers get DateTime64, LowCardinality, Map, TTL,
// skip indexes and synchronous mutations; 18.16 gets Int64 nanoseconds
// and plain strings. Time buckets are computed on nanoseconds since the
// epoch (intDiv), not with calendar functions. A database keeps the
// dialect it was created with, even after the server is upgraded.
// Dialect.Migrations and Dialect.Queries render every statement for any
// version, so the SQL can be checked without a server. Migrations are
// idempotent: where the server has no ADD COLUMN IF NOT EXISTS (18.16), a
// column already added counts as done.
//
// With Config.Cluster set, tables are created ON CLUSTER with Replicated
// engines; posts are sharded by ID behind a Distributed table, the small
// tables replicated to every server. Inserts go with insert_deduplicate
// off: a replicated table would drop an insert equal to an earlier one (a
// post erased and collected again unchanged, its rollup rows), and the
// store's tables settle repeats themselves.
//
// Posts lists a window's posts with FINAL, newest first. LinkPosts needs
// no mutation: it reads the winning version of each post to link and
// inserts it again with the incident set and the same row version, which
// wins over the row it copies (of equal versions the last inserted wins),
// so the link is visible at once on every server and costs what reading
// and inserting those posts costs. A link outlives re-collection:
// SavePosts reads the stored incident of posts saved without one (one
// query per insert, IDs as a tuple) and writes it with the new version.
// Alerts and deliveries are ReplacingMergeTrees versioned by write, an
// alert's labels and Why kept as JSON text.
//
// EraseAuthor deletes with an ALTER TABLE ... DELETE mutation and returns
// once it is applied. Retention is per kind of table (Config.Retention:
// posts, and the rollup, kept as long or longer so series keep the counts
// of months whose posts are gone): a TTL where the server has one, and
// Store.DropExpired (dropping whole months of each table, on every shard)
// where it has not; serve calls it hourly.
//
// A post's CreatedAt is assumed not to change between versions (it is
// when the post was written): outside cluster mode it is part of the
// sorting key, so versions with different creation times are different
// rows to FINAL, and to the rollup alike.
package clickhouse
