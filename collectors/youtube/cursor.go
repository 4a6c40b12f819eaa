package youtube

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
//	{"v":1,"channel":"UCacmeCloud0000000000001","since":1748606400,
//	 "sweep":{"start":1748865600,"page_token":"QURTSl9p…"},
//	 "seen":{"UgzAcme01":{"t":1748851200,"ids":{"UgzAcme01":"6b1f0c2a","UgzAcme01.AcmeR1":"0c9d2e11"}}}}
//
// The revisit window (since, sweep, seen) is a [collectors.Revisit] whose
// items are the comment threads, by top-level comment ID, each with the
// IDs of its comments.
type state struct {
	V int `json:"v"`
	// Channel is the channel the cursor was made for: a cursor of another
	// channel is ignored.
	Channel string `json:"channel"`
	collectors.Revisit[sweepToken]
}

// sweepToken is the page an unfinished sweep carries on from; empty: the
// first.
type sweepToken string

// SweepKey implements collectors.SweepPosition.
func (sweepToken) SweepKey() string { return "page_token" }

func parseCursor(s, channel string) (state, error) {
	var st state
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		return state{}, fmt.Errorf("decoding cursor: %w", err)
	}
	if st.V != cursorVersion {
		return state{}, fmt.Errorf("cursor version %d, want %d", st.V, cursorVersion)
	}
	if st.Channel != channel {
		return state{}, fmt.Errorf("cursor is for another channel")
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
