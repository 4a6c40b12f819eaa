// Package bench measures Earshot end to end on this machine, for `earshot
// bench`: it generates posts in the import format, times `earshot
// analyze` and `earshot import` over them (into a new DuckDB file, and
// into ClickHouse when asked), then times what the comms dashboard asks
// each store for, in process.
//
// Run does all of it and returns a Report, which prints as a table or as
// JSON lines. The commands it times are run through Options.Command, so
// the package does not depend on the command line's own code.
package bench
