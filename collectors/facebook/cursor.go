package facebook

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
//	{"v":1,"page":"104857600123","since":1748606400,
//	 "sweep":{"start":1748865600,"until":1748851201},
//	 "seen":{"104857600123_901":{"t":1748851200,"ids":{"104857600123_901":"6b1f0c2a","901_7001":"0c9d2e11"}}}}
//
// The revisit window (since, sweep, seen) is a [collectors.Revisit] whose
// items are the feed's posts, each with its comments and replies by Graph
// ID.
type state struct {
	V int `json:"v"`
	// Page is the page the cursor was made for: a cursor of another page
	// is ignored.
	Page string `json:"page"`
	collectors.Revisit[sweepUntil]
}

// sweepUntil is where an unfinished sweep carries on: the posts created up to
// it (inclusive) are still to read. 0: from the top.
type sweepUntil int64

// SweepKey implements collectors.SweepPosition.
func (sweepUntil) SweepKey() string { return "until" }

func parseCursor(s, page string) (state, error) {
	var st state
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		return state{}, fmt.Errorf("decoding cursor: %w", err)
	}
	if st.V != cursorVersion {
		return state{}, fmt.Errorf("cursor version %d, want %d", st.V, cursorVersion)
	}
	if st.Page != page {
		return state{}, fmt.Errorf("cursor is for another page")
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
