package hackernews

import (
	"cmp"
	"slices"

	"github.com/earshot/earshot/collectors"
)

// cursorVersion is bumped when the cursor's meaning changes; a cursor of
// another version is ignored (the next run starts afresh).
const cursorVersion = 1

// maxGaps bounds the gaps a cursor remembers. Past it the two oldest are
// merged into one, which fetches again what lies between them (the store
// absorbs those repeats) but loses nothing.
const maxGaps = 20

// state is what the cursor string holds, as JSON:
//
//	{"v":1,"query":"acme cloud","newest":1748858400,"newest_ids":["44100231"],
//	 "gaps":[{"from":1748772000,"to":1748851200,"to_ids":["44099870"]}]}
//
// Everything created from Newest on is new to the next run, but for the
// NewestIDs, already collected at that exact second. Each gap is a span
// older than Newest that a run left unfinished (it stopped at max_pages, or
// at a rate limit); the next runs finish it, oldest part last.
type state struct {
	V int `json:"v"`
	// Query is the query the cursor was made for: a cursor of another
	// query is ignored.
	Query     string   `json:"query"`
	Newest    int64    `json:"newest"`
	NewestIDs []string `json:"newest_ids,omitempty"`
	Gaps      []window `json:"gaps,omitempty"`
}

// window is a span of creation times, in Unix seconds, still to collect.
type window struct {
	// From is the inclusive lower bound; FromIDs were collected at From.
	From    int64    `json:"from"`
	FromIDs []string `json:"from_ids,omitempty"`
	// To is the inclusive upper bound, 0 for none; ToIDs were collected at
	// To.
	To    int64    `json:"to,omitempty"`
	ToIDs []string `json:"to_ids,omitempty"`
}

// skip reports whether the hit id created at t was collected before.
func (w window) skip(id string, t int64) bool {
	return (t == w.From && slices.Contains(w.FromIDs, id)) ||
		(t == w.To && slices.Contains(w.ToIDs, id))
}

func parseCursor(s, query string) (state, error) {
	return collectors.DecodeCursorFor(s, cursorVersion, "query", query, func(st state) string { return st.Query })
}

// addGap records w as still to collect, keeping gaps newest first and at
// most maxGaps of them.
func (st *state) addGap(w window) {
	st.Gaps = append(st.Gaps, w)
	slices.SortStableFunc(st.Gaps, func(a, b window) int { return cmp.Compare(b.From, a.From) })
	st.Gaps = collectors.MergeOldest(st.Gaps, maxGaps, func(newer, older window) window {
		return window{From: older.From, FromIDs: older.FromIDs, To: newer.To, ToIDs: newer.ToIDs}
	})
}

// String encodes the cursor.
func (st state) String() string {
	st.V = cursorVersion
	return collectors.EncodeCursor(st)
}
