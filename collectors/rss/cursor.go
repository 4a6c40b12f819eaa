package rss

import (
	"cmp"
	"slices"
	"time"

	"github.com/earshot/earshot/collectors"
)

// maxSeen bounds the item keys a cursor remembers: ten times a large feed.
const maxSeen = 1000

// cursorVersion is bumped when the cursor's meaning changes; a cursor of
// another version is ignored (the next fetch starts afresh).
const cursorVersion = 1

// state is what the cursor string holds, as JSON:
//
//	{"v":1,"etag":"\"abc\"","last_modified":"Mon, 02 Jun 2025 10:00:00 GMT",
//	 "floor":1748800000,"seen":[{"k":"5f0c…","t":1748858400},…]}
//
// ETag and LastModified are the validators of the last 200 response, sent
// back as If-None-Match and If-Modified-Since. Seen holds the keys of the
// items already collected (a key hashes the item's native ID and its
// updated time, so an edited item comes again and the store keeps its latest
// version), with each item's time, newest first. When Seen grows past
// maxSeen the oldest keys are dropped and Floor rises to the newest time
// dropped: items dated at or before Floor count as seen.
type state struct {
	V int `json:"v"`
	collectors.Validators
	Floor int64      `json:"floor,omitempty"`
	Seen  []seenItem `json:"seen,omitempty"`

	keys map[string]bool
}

type seenItem struct {
	Key string `json:"k"`
	// At is the item's time (published, else updated) in Unix seconds, 0
	// when the item has none.
	At int64 `json:"t,omitempty"`
}

// seen reports whether the item with key and time at was collected before.
func (st *state) seen(key string, at time.Time) bool {
	if st.keys == nil {
		st.keys = make(map[string]bool, len(st.Seen))
		for _, it := range st.Seen {
			st.keys[it.Key] = true
		}
	}
	if st.keys[key] {
		return true
	}
	return st.Floor != 0 && !at.IsZero() && at.Unix() <= st.Floor
}

// remember adds items (the current feed's, in any order) to Seen, keeps
// the newest limit of them and raises Floor past those it drops.
func (st *state) remember(items []seenItem, limit int) {
	all := make([]seenItem, 0, len(items)+len(st.Seen))
	in := make(map[string]bool, len(items)+len(st.Seen))
	for _, it := range slices.Concat(items, st.Seen) {
		if !in[it.Key] {
			in[it.Key] = true
			all = append(all, it)
		}
	}
	// Newest first; undated items last, so they are dropped first and never
	// move the floor.
	slices.SortStableFunc(all, func(a, b seenItem) int { return cmp.Compare(b.At, a.At) })
	if len(all) > limit {
		for _, it := range all[limit:] {
			st.Floor = max(st.Floor, it.At)
		}
		all = all[:limit:limit]
	}
	st.Seen, st.keys = all, nil
}

// String encodes the cursor.
func (st state) String() string {
	st.V = cursorVersion
	return collectors.EncodeCursor(st)
}
