package reddit

import (
	"cmp"
	"slices"

	"github.com/earshot/earshot/collectors"
)

// cursorVersion is bumped when the cursor's meaning changes; a cursor of
// another version is ignored (the next run starts afresh).
const cursorVersion = 1

// maxGaps bounds the gaps a stream remembers. Past it the two oldest are
// merged into one, which fetches again what lies between them (the store
// absorbs those repeats) but loses nothing.
const maxGaps = 20

// state is what the cursor string holds, as JSON: one entry per stream
// (a search, a subreddit's new posts or new comments), keyed as in
// stream.key:
//
//	{"v":1,"streams":{"r/acmecloud/comments":{"newest":1748864400,"newest_ids":["t1_mq3k2x9"]},
//	 "search:acme cloud":{"newest":1748865000,"newest_ids":["t3_1l1abcd"],
//	   "gaps":[{"after":"t3_1l0zzzz","from":1748779200,"to":1748851200,"to_ids":["t3_1l0zzzz"]}]}}}
type state struct {
	V       int                     `json:"v"`
	Streams map[string]*streamState `json:"streams"`
}

// streamState is one stream's position. Everything created from Newest on
// is new to the next run, but for NewestIDs, already collected at that
// exact second. Gaps are spans older than Newest that a run left unfinished
// (at max_pages, at a rate limit, at an error), newest first.
type streamState struct {
	Newest    int64    `json:"newest"`
	NewestIDs []string `json:"newest_ids,omitempty"`
	Gaps      []window `json:"gaps,omitempty"`
}

// window is a span of creation times, in Unix seconds, still to collect.
type window struct {
	// After is the fullname to page on from: the last item of the last
	// page fetched. Empty: from the top of the listing.
	After string `json:"after,omitempty"`
	// From is the inclusive lower bound; FromIDs were collected at From.
	From    int64    `json:"from"`
	FromIDs []string `json:"from_ids,omitempty"`
	// To is the inclusive upper bound, 0 for none; ToIDs were collected at
	// To.
	To    int64    `json:"to,omitempty"`
	ToIDs []string `json:"to_ids,omitempty"`
}

// skip reports whether the item id created at t was collected before, or
// lies above the window (collected by an earlier run).
func (w window) skip(id string, t int64) bool {
	return (w.To != 0 && t > w.To) ||
		(t == w.From && slices.Contains(w.FromIDs, id)) ||
		(t == w.To && slices.Contains(w.ToIDs, id))
}

func parseCursor(s string) (state, error) {
	return collectors.DecodeCursor[state](s, cursorVersion) // the zero state on an error
}

// addGap records w as still to collect, keeping gaps newest first and at
// most maxGaps of them.
func (ss *streamState) addGap(w window) {
	ss.Gaps = append(ss.Gaps, w)
	slices.SortStableFunc(ss.Gaps, func(a, b window) int { return cmp.Compare(b.From, a.From) })
	ss.Gaps = collectors.MergeOldest(ss.Gaps, maxGaps, func(newer, older window) window {
		return window{After: newer.After, From: older.From, FromIDs: older.FromIDs, To: newer.To, ToIDs: newer.ToIDs}
	})
}

// String encodes the cursor.
func (st state) String() string {
	st.V = cursorVersion
	return collectors.EncodeCursor(st)
}
