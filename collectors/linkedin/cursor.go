package linkedin

import "github.com/earshot/earshot/collectors"

// state is what the cursor string holds: a [collectors.RevisitCursor] for
// the organization, whose items are its posts, each with its comments and
// replies by URN.
type state = collectors.RevisitCursor[sweepOffset]

// sweepOffset is where an unfinished sweep carries on, as the list's
// start index. Posts published meanwhile push the others down, so the
// pass reads some again (their fingerprints keep them from coming twice).
type sweepOffset int

// SweepKey implements collectors.SweepPosition.
func (sweepOffset) SweepKey() string { return "offset" }
