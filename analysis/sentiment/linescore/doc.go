// Package linescore scores the sentiment of posts given one a line, for
// `earshot analyze`: JSON lines {"id": "...", "text": "..."} or plain text
// (numbered from 1) in, one JSON line per input line out, in the same
// order: {"id": "...", "score": -0.62, "label": "negative"}.
//
// Score reads and parses the next batch in one goroutine while the scorer
// scores the current one on every core. A line that cannot be read gets
// an "error" field instead of a score and is counted; the others are
// still scored.
package linescore
