package twitter

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/earshot/earshot/collectors"
)

// cursorVersion is bumped when the cursor's meaning changes; a cursor of
// another version is ignored (the next run backfills afresh).
const cursorVersion = 1

// maxGaps bounds the gaps a cursor keeps. A run adds at most one, so only a
// search that outruns max_pages for many runs in a row reaches it; then the
// oldest gap is given up, with a warning.
const maxGaps = 20

// state is what the cursor string holds, as JSON:
//
//	{"v":1,"since_id":"1929523463413514240","gaps":[{"since_id":"1929518430559092736","max_id":"1929521046567469055"}]}
//
// SinceID is the newest tweet ID the search has returned: the next run asks
// for the tweets after it. Gaps are the ranges a run had to leave (max_pages
// reached, rate limit exhausted) while paging back: the tweets with
// since_id < id <= max_id, newest gap first. Each run first fetches what is
// new, then works on the gaps with the pages it has left.
type state struct {
	V       int   `json:"v"`
	SinceID int64 `json:"since_id,string,omitempty"`
	Gaps    []gap `json:"gaps,omitempty"`
}

// gap is a range of tweet IDs still to fetch: SinceID < id <= MaxID.
type gap struct {
	SinceID int64 `json:"since_id,string"`
	MaxID   int64 `json:"max_id,string"`
}

// idGap returns g as the exclusive range collectors.IDSearch works on.
func (g gap) idGap() collectors.IDGap { return collectors.IDGap{Since: g.SinceID, Until: g.MaxID + 1} }

func parseCursor(s string) (state, error) {
	var st state
	if s == "" {
		return st, nil
	}
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		return state{}, fmt.Errorf("decoding cursor: %w", err)
	}
	if st.V != cursorVersion {
		return state{}, fmt.Errorf("cursor version %d, want %d", st.V, cursorVersion)
	}
	for _, g := range st.Gaps {
		if g.SinceID < 0 || g.MaxID <= g.SinceID {
			return state{}, fmt.Errorf("decoding cursor: bad gap %d..%d", g.SinceID, g.MaxID)
		}
	}
	return st, nil
}

// String encodes the cursor.
func (st state) String() string {
	st.V = cursorVersion
	b, err := json.Marshal(st)
	if err != nil {
		panic(err) // integers always marshal
	}
	return string(b)
}

// Tweet IDs are Snowflake IDs: the milliseconds since twepoch, shifted
// left by 22 bits, with a machine and sequence number in those bits. So an
// ID orders tweets by time, and a time has a smallest ID.
const twepoch = 1288834974657

// idAt returns the smallest ID a tweet posted at t can have: since_id =
// idAt(t) asks for the tweets posted after t.
func idAt(t time.Time) int64 {
	ms := t.UnixMilli() - twepoch
	if ms <= 0 {
		return 0
	}
	return ms << 22
}

// timeOf returns the time a Snowflake ID was made, to the millisecond.
func timeOf(id int64) time.Time {
	return time.UnixMilli(id>>22 + twepoch).UTC()
}

func formatID(id int64) string { return strconv.FormatInt(id, 10) }
