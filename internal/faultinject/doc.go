// Package faultinject makes a DuckDB store hang or refuse on demand, for
// the fault tests (cmd/earshot/faulttest): while the file "freeze" exists
// in a directory the test names, every call the pipeline and the
// collectors make (posts, hashes, cursors) waits; while "refuse" exists,
// each fails. Only a build of earshot with -tags faultinject uses it, so
// release builds do not contain it.
package faultinject
