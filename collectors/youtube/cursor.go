package youtube

import "github.com/earshot/earshot/collectors"

// state is what the cursor string holds: a [collectors.RevisitCursor] for
// the channel, whose items are the comment threads, by top-level comment
// ID, each with the IDs of its comments.
type state = collectors.RevisitCursor[sweepToken]

// sweepToken is the page an unfinished sweep carries on from; empty: the
// first.
type sweepToken string

// SweepKey implements collectors.SweepPosition.
func (sweepToken) SweepKey() string { return "page_token" }
