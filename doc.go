// Package earshot is the domain of Earshot, a social sentiment and reputation
// monitor: the types that flow between its parts (Post, Watch, Incident,
// Spike, FollowUp) and the small interfaces each part offers the others
// (PostStore, IncidentStore, FollowUpStore, CursorStore, Collector, Scorer).
//
// The package imports nothing but the standard library and no other package of
// the project. Implementations live in subpackages, one dependency each:
// store/duckdb and store/clickhouse implement the stores, collectors/* the
// collectors, analysis/sentiment the scorer, dashboards/* the screens.
// cmd/earshot is the only place that knows every part and wires them.
//
// The package holds rules, not machinery: it starts no goroutine and parses
// no markup. Package ingest carries posts from collectors to a store
// (normalize, dedupe, match watches, score, store in batches), and package
// engine runs detection, linking and alerting on a clock.
package earshot
