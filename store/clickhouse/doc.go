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
// Posts live in a ReplacingMergeTree keyed by (source, id) whose version
// is the time a post was collected, partitioned by month of creation.
// Saving a post again adds a row; every query reads with FINAL, so a
// replay never counts twice and the latest collected version wins even
// when an older one is saved later. Saves go out as batched inserts.
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
// tables replicated to every server.
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
// once it is applied. Retention is a TTL where the server has one, and
// Store.DropExpired (dropping whole months) where it has not.
//
// A post's CreatedAt is assumed not to move to another month between
// versions: versions in different partitions are merged by FINAL only
// when the query reads both partitions.
package clickhouse
