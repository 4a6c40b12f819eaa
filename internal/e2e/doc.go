// Package e2e holds the end-to-end tests of Earshot's ingestion: every
// collector kind, and the push API, through the real collector, the poller
// and the pipeline (with the real sentiment scorer) into each store. It has
// no code of its own; run it with
//
//	go test ./internal/e2e
//
// The DuckDB store is tested always; the ClickHouse store when
// EARSHOT_TEST_CLICKHOUSE=host:port names a server (a fresh database is
// created per run and dropped after).
package e2e
