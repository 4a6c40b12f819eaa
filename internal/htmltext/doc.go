// Package htmltext turns the markup posts arrive in (RSS and WordPress
// bodies, statuses) into plain text for scoring and display: a
// small, forgiving scanner, not a full HTML parser. The ingest path's
// Normalize is its one caller.
package htmltext
