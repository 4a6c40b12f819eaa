package disqus

import (
	"cmp"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
)

// cursorVersion is bumped when the cursor's meaning changes; a cursor of
// another version is ignored (the next run starts afresh).
const cursorVersion = 1

// maxSeen bounds the posts the cursor remembers; past it the oldest are
// forgotten (an edit of one of those is then missed, never a new post).
const maxSeen = 2000

// state is what the cursor string holds, as JSON:
//
//	{"v":1,"forum":"acmecloud","since":1748779200,"newest":1748862000,
//	 "seen":[{"id":"6712345001","at":1748862000,"h":"9f3c1a2b"}],
//	 "resume":{"since":1748779200,"cursor":"1748860200000000:1:0"}}
type state struct {
	V int `json:"v"`
	// Forum is the forum the cursor was made for: a cursor of another
	// forum is ignored.
	Forum string `json:"forum"`
	// Since is the oldest creation time of interest: the first run's now
	// minus backfill.
	Since int64 `json:"since"`
	// Newest is the newest creation time collected, Unix seconds.
	Newest int64 `json:"newest"`
	// Seen are the posts collected that the next run reads again, with a
	// hash of what was collected: a post comes again only when edited.
	Seen []seen `json:"seen,omitempty"`
	// Resume is where a run that stopped early left its listing.
	Resume *resume `json:"resume,omitempty"`
}

type seen struct {
	ID   string `json:"id"`
	At   int64  `json:"at"`
	Hash string `json:"h"`
}

// resume is a listing left unfinished: its since parameter and Disqus's
// cursor for the next page.
type resume struct {
	Since  int64  `json:"since"`
	Cursor string `json:"cursor"`
}

func parseCursor(s, forum string) (state, error) {
	var st state
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		return state{}, fmt.Errorf("decoding cursor: %w", err)
	}
	if st.V != cursorVersion {
		return state{}, fmt.Errorf("cursor version %d, want %d", st.V, cursorVersion)
	}
	if st.Forum != forum {
		return state{}, fmt.Errorf("cursor is for another forum")
	}
	return st, nil
}

func hashOf(parts ...string) string {
	h := fnv.New32a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return fmt.Sprintf("%08x", h.Sum32())
}

func (st *state) remember(id string, at int64, h string) {
	for i := range st.Seen {
		if st.Seen[i].ID == id {
			st.Seen[i] = seen{ID: id, At: at, Hash: h}
			return
		}
	}
	st.Seen = append(st.Seen, seen{ID: id, At: at, Hash: h})
}

func (st *state) hash(id string) string {
	for _, s := range st.Seen {
		if s.ID == id {
			return s.Hash
		}
	}
	return ""
}

// prune forgets the posts created before from, and the oldest beyond
// maxSeen.
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
