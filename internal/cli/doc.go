// Package cli holds what the earshot command's subcommands share once
// their flags are parsed: printing a result as JSON or as a table, and
// telling whether output goes to a terminal (for progress lines).
//
// The packages that do a subcommand's work (internal/oncall for incidents
// and silences, internal/auth for users, ...) write through it, so that
// every command prints JSON the same way: one value, a nil list as [].
package cli
