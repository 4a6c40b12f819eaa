// Package faulttest holds Earshot's fault tests (issue 14), and nothing
// else. They build the earshot binary with -tags faultinject, run it as
// a child `earshot serve` that collects a growing RSS feed and takes
// pushes on /api/v1/ingest, and meanwhile kill it with SIGKILL, stop it
// with SIGTERM, freeze or refuse its store (DuckDB through the
// faultinject wrapper; ClickHouse through a TCP proxy on loopback that
// stops forwarding), or burst ten times the load. Then they check that no
// feed item and no acknowledged push was lost and that each was stored
// once, and log one "fault report" line each, which docs/reliability.md
// quotes.
//
// The default runs take tens of seconds each, in parallel; -short skips
// them; EARSHOT_FAULT_SOAK=1 runs them at full length (the issue's: a
// minute of load with a 15 s freeze; the burst for three minutes);
// EARSHOT_FAULT_NO_SPOOL=1 runs them without a spool, as a control;
// EARSHOT_TEST_CLICKHOUSE=host:port adds the ClickHouse run.
package faulttest
