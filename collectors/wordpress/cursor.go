package wordpress

import (
	"cmp"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
)

// cursorVersion is bumped when the cursor's meaning changes; a cursor of
// another version is ignored (the next run starts afresh).
const cursorVersion = 1

// maxSeen bounds the comments the cursor remembers; past it the oldest are
// forgotten (an edit to one of those is then missed, never a new comment).
const maxSeen = 2000

// state is what the cursor string holds, as JSON:
//
//	{"v":1,"site":"blog.acme.test","since":1748779200,"newest":1748862000,
//	 "seen":[{"id":311,"at":1748862000,"h":"9f3c1a2b"}],
//	 "resume":{"after":"2025-06-01T12:00:00","page":11,"from":1748779200}}
type state struct {
	V int `json:"v"`
	// Site is the site the cursor was made for: a cursor of another site
	// is ignored.
	Site string `json:"site"`
	// Since is the oldest creation time of interest: the first run's now
	// minus backfill. Nothing older is collected.
	Since int64 `json:"since"`
	// Newest is the newest creation time (date_gmt, Unix seconds)
	// collected.
	Newest int64 `json:"newest"`
	// Seen are the comments collected that the next run reads again
	// (created within reread of its clock, or at Newest), with a hash of
	// what was collected: a comment comes again only when it changed.
	Seen []seen `json:"seen,omitempty"`
	// Resume is where a run that stopped early (at max_pages, at an
	// error) left its query; the next run carries on from there.
	Resume *resume `json:"resume,omitempty"`
}

// seen is one comment collected, with when it was created and a hash of
// its text and author.
type seen struct {
	ID   int64  `json:"id"`
	At   int64  `json:"at"`
	Hash string `json:"h"`
}

// resume is a query left unfinished: its after parameter, the page to ask
// for next, and the window's start.
type resume struct {
	After string `json:"after"`
	Page  int    `json:"page"`
	From  int64  `json:"from"`
}

func parseCursor(s, site string) (state, error) {
	var st state
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		return state{}, fmt.Errorf("decoding cursor: %w", err)
	}
	if st.V != cursorVersion {
		return state{}, fmt.Errorf("cursor version %d, want %d", st.V, cursorVersion)
	}
	if st.Site != site {
		return state{}, fmt.Errorf("cursor is for another site")
	}
	return st, nil
}

// hashOf returns the hash the cursor keeps of a comment's version.
func hashOf(parts ...string) string {
	h := fnv.New32a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return fmt.Sprintf("%08x", h.Sum32())
}

// remember records comment id created at at with hash h, replacing an
// older record of it.
func (st *state) remember(id, at int64, h string) {
	for i := range st.Seen {
		if st.Seen[i].ID == id {
			st.Seen[i] = seen{ID: id, At: at, Hash: h}
			return
		}
	}
	st.Seen = append(st.Seen, seen{ID: id, At: at, Hash: h})
}

// hash returns the hash recorded for comment id, "" if none.
func (st *state) hash(id int64) string {
	for _, s := range st.Seen {
		if s.ID == id {
			return s.Hash
		}
	}
	return ""
}

// prune forgets the comments created before from, and the oldest beyond
// maxSeen, keeping the rest oldest first.
func (st *state) prune(from int64) {
	st.Seen = slices.DeleteFunc(st.Seen, func(s seen) bool { return s.At < from })
	slices.SortStableFunc(st.Seen, func(a, b seen) int {
		return cmp.Or(cmp.Compare(a.At, b.At), cmp.Compare(a.ID, b.ID))
	})
	if n := len(st.Seen); n > maxSeen {
		st.Seen = st.Seen[n-maxSeen:]
	}
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

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
