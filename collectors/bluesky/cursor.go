package bluesky

import (
	"time"

	"github.com/earshot/earshot/collectors"
)

// cursorVersion is bumped when the cursor's meaning changes; a cursor of
// another version is ignored (the next run backfills afresh).
const cursorVersion = 1

// maxGaps bounds the gaps the cursor remembers; past it the two oldest
// merge.
const maxGaps = 20

// state is what the cursor string holds, as JSON:
//
//	{"v":1,"q":"acme cloud","top":"2025-06-02T11:58:00.123Z",
//	 "top_uris":["at://did:plc:…/app.bsky.feed.post/3lqa…"],
//	 "gaps":[{"since":"2025-06-01T12:00:00Z","until":"2025-06-02T09:15:00Z",
//	          "until_uris":["at://…"]}]}
//
// Top is the sort time of the newest post collected and TopURIs the posts
// collected at exactly that time: the next run searches since Top
// (inclusive) and skips those. Gaps are spans a run did not finish (it ran
// out of pages or was rate limited), newest first.
type state struct {
	V       int       `json:"v"`
	Query   string    `json:"q,omitempty"`
	Top     time.Time `json:"top,omitzero"`
	TopURIs []string  `json:"top_uris,omitempty"`
	Gaps    []span    `json:"gaps,omitempty"`
}

// span is a range of sort times still to collect, both ends included,
// with the posts at each end already collected. A zero Until is "now".
type span struct {
	Since     time.Time `json:"since"`
	SinceURIs []string  `json:"since_uris,omitempty"`
	Until     time.Time `json:"until,omitzero"`
	UntilURIs []string  `json:"until_uris,omitempty"`
}

func parseCursor(s string) (state, error) {
	return collectors.DecodeCursor[state](s, cursorVersion) // the zero state on an error
}

// String encodes the cursor.
func (st state) String() string {
	st.V = cursorVersion
	return collectors.EncodeCursor(st)
}

// mergeOldest merges the oldest gaps into one until at most limit are left
// (see collectors.MergeOldest).
func mergeOldest(gaps []span, limit int) []span {
	return collectors.MergeOldest(gaps, limit, func(newer, older span) span {
		return span{Since: older.Since, SinceURIs: older.SinceURIs, Until: newer.Until, UntilURIs: newer.UntilURIs}
	})
}
