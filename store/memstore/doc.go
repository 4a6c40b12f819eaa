// Package memstore is an earshot.Store kept in memory: the model the
// conformance suite (store/storetest) holds store/duckdb and
// store/clickhouse to, as a store of its own. It passes the same suite.
//
// Tests use it wherever they need a store and no database: seed it with
// SavePosts, SaveIncident and the like, and read back what the code under
// test wrote. A test that needs a store to fail wraps it in a struct that
// embeds *Store and overrides the one method.
package memstore
