// Package importfile reads posts in Earshot's import format, JSON lines
// (.jsonl, .ndjson, .json) or CSV (.csv), for `earshot import` and
// `earshot replay`.
//
// ReadJSONLines and ReadCSV turn a file's records into posts, handing each
// good one to add and each bad one, with its line number and the reason,
// to reject: a bad line never stops a file. ReadJSONLines decodes a line
// by hand (no reflection, its strings sharing one copy of it) and hands
// anything unusual (keys matched only ignoring case, values of another
// type, bad syntax) to encoding/json, which decides it and words the
// error; a fuzz test holds the two to the same answers. Format tells a
// file's format from its name, or standard input's from its first byte.
// An Importer reads whole files into a pipeline, overlapping reading with
// scoring and storing, and reports rejected lines and progress on stderr.
// Run is a whole `earshot import`: the files through a pipeline tuned for
// bulk loads into a store (BatchSize posts at a time, one DuckDB row
// group), and the Summary of what was read, stored and rejected. Into a
// store holding no posts when it starts, it asks the store whether a post
// is stored already only for IDs it stored itself (the look-up found
// nothing there, at 5% of the import's CPU on DuckDB).
//
// Input that cannot be imported at all (an unreadable file, an unknown
// format, a CSV header without a required column) is a
// *badinput.Error: the caller's mistake, not the machine's.
package importfile
