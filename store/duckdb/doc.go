// Package duckdb is Earshot's embedded default store: one DuckDB file, or an
// in-memory database for demos and tests, behind earshot.Store.
//
// Open a store with a path ("" or ":memory:" for memory), or with a Config
// (OpenConfig) that also sets a retention; ParseDSN turns the DSNs of
// Earshot's configuration, "duckdb:///var/lib/earshot/earshot.duckdb",
// "duckdb://:memory:" and either with "?retention=90d&rollup_retention=730d",
// into a Config:
//
//	st, err := duckdb.Open(ctx, "/var/lib/earshot/earshot.duckdb")
//	if err != nil { ... }
//	defer st.Close()
//
// Open applies the schema migrations embedded from migrations/*.sql that the
// database has not seen yet, each in its own transaction, and records them in
// schema_migrations(version, name, applied_at). A database with a migration
// this build does not know (written by a newer Earshot) is refused.
//
// Posts are upserted by ID through DuckDB's query appender: a batch is
// deduplicated in Go, then merged with INSERT ... ON CONFLICT DO UPDATE that
// keeps the version collected last, so replays never duplicate. Rankings
// and author aggregates are single SQL queries over the posts table;
// grouping by watch unnests the watches list. Series of whole minutes read
// post_rollup (counts and summed sentiment per minute, watch and source),
// and the posts only for the part of a minute at either end of the window;
// the rollup changes in the transaction that changes posts (a merged post's
// stored version taken away, the new one added; erased posts taken away),
// and RebuildRollups computes it again from the posts. DropExpired deletes
// the posts and the rollup minutes past their retention, by the minute,
// leaving the rollup's counts of the posts it deletes (serve calls it
// hourly). Each post row keeps the
// earshot.ContentHash of the version stored, computed as it is saved, and
// PostHashes answers a batch of IDs in one query (the IDs bound as one
// list); the hash is of the version as given, so an incident link does not
// change it. A link outlives re-collection: the merge keeps the stored
// incident_id when the new version has none. LinkPosts is one UPDATE of
// the window's posts not linked to the incident yet, and returns how many
// it changed. Incidents, follow-ups, spikes, collector health, gaps,
// alerts and deliveries are replaced whole by ID (INSERT OR REPLACE); an
// alert's labels and Why are kept as JSON text. Writes are serialized within a
// Store, which DuckDB, a single-writer engine, would otherwise do by failing
// conflicting transactions.
//
// store/storetest is the suite this package must pass, the same one as
// store/clickhouse.
package duckdb
