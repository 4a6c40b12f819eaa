package facebook

import "github.com/earshot/earshot/collectors"

// state is what the cursor string holds: a [collectors.RevisitCursor] for
// the Page, whose items are the feed's posts, each with its comments and
// replies by Graph ID.
type state = collectors.RevisitCursor[sweepUntil]

// sweepUntil is where an unfinished sweep carries on: the posts created up to
// it (inclusive) are still to read. 0: from the top.
type sweepUntil int64

// SweepKey implements collectors.SweepPosition.
func (sweepUntil) SweepKey() string { return "until" }
