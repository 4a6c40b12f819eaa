package linkedin

import (
	"encoding/json"
	"fmt"

	"github.com/earshot/earshot/collectors"
)

// cursorVersion is bumped when the cursor's meaning changes; a cursor of
// another version is ignored (the next run starts afresh).
const cursorVersion = 1

// state is what the cursor string holds, as JSON:
//
//	{"v":1,"organization":"2414183","since":1748606400,
//	 "sweep":{"start":1748865600,"offset":50},
//	 "seen":{"urn:li:share:7335000000000000001":{"t":1748851200,
//	   "ids":{"urn:li:share:7335000000000000001":"6b1f0c2a","urn:li:comment:(urn:li:activity:7335000000000000001,7335100000000000001)":"0c9d2e11"}}}}
//
// The revisit window (since, sweep, seen) is a [collectors.Revisit] whose
// items are the organization's posts, each with its comments and replies
// by URN.
type state struct {
	V int `json:"v"`
	// Organization is the organization the cursor was made for: a cursor
	// of another organization is ignored.
	Organization string `json:"organization"`
	collectors.Revisit[sweepOffset]
}

// sweepOffset is where an unfinished sweep carries on, as the list's
// start index. Posts published meanwhile push the others down, so the
// pass reads some again (their fingerprints keep them from coming twice).
type sweepOffset int

// SweepKey implements collectors.SweepPosition.
func (sweepOffset) SweepKey() string { return "offset" }

func parseCursor(s, org string) (state, error) {
	var st state
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		return state{}, fmt.Errorf("decoding cursor: %w", err)
	}
	if st.V != cursorVersion {
		return state{}, fmt.Errorf("cursor version %d, want %d", st.V, cursorVersion)
	}
	if st.Organization != org {
		return state{}, fmt.Errorf("cursor is for another organization")
	}
	return st, nil
}

// String encodes the cursor.
func (st state) String() string {
	st.V = cursorVersion
	b, err := json.Marshal(st)
	if err != nil {
		panic(err) // strings and integers always marshal
	}
	return string(b)
}
