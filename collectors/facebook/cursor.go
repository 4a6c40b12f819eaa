package facebook

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strconv"
)

// cursorVersion is bumped when the cursor's meaning changes; a cursor of
// another version is ignored (the next run starts afresh).
const cursorVersion = 1

// state is what the cursor string holds, as JSON:
//
//	{"v":1,"page":"104857600123","since":1748606400,
//	 "sweep":{"start":1748865600,"until":1748851201},
//	 "seen":{"104857600123_901":{"t":1748851200,"ids":{"104857600123_901":"6b1f0c2a","901_7001":"0c9d2e11"}}}}
type state struct {
	V int `json:"v"`
	// Page is the page the cursor was made for: a cursor of another page
	// is ignored.
	Page string `json:"page"`
	// Since is the oldest creation time (Unix seconds) of the posts still
	// read: older posts, and their comments, are left alone.
	Since int64 `json:"since"`
	// Sweep is a pass over the feed that a run left unfinished.
	Sweep *sweep `json:"sweep,omitempty"`
	// Seen holds, per post created since Since, the fingerprint of every
	// item (the post, its comments and replies) returned, by Graph ID: an
	// item comes again only when its text changed.
	Seen map[string]*thread `json:"seen,omitempty"`
}

// sweep is a pass over the posts created from Since to Start that a run
// could not finish (it ran out of requests, or was rate limited).
type sweep struct {
	// Start is when the pass began: posts created after it are new, read
	// from the top of the feed before the pass carries on.
	Start int64 `json:"start"`
	// Until is where the pass carries on: the posts created up to Until
	// (inclusive) are still to read. 0: from the top.
	Until int64 `json:"until,omitempty"`
}

// thread is what was returned of one post and its comments.
type thread struct {
	// T is the post's creation time, Unix seconds.
	T int64 `json:"t"`
	// IDs maps the Graph ID of each item returned to its fingerprint.
	IDs map[string]string `json:"ids"`
}

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

// thread returns the record of the post id created at t, making it.
func (st *state) thread(id string, t int64) *thread {
	if st.Seen == nil {
		st.Seen = map[string]*thread{}
	}
	th := st.Seen[id]
	if th == nil {
		th = &thread{T: t, IDs: map[string]string{}}
		st.Seen[id] = th
	}
	return th
}

// prune forgets the posts created before Since, and those nothing was
// returned of.
func (st *state) prune() {
	for id, th := range st.Seen {
		if th.T < st.Since || len(th.IDs) == 0 {
			delete(st.Seen, id)
		}
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

// fingerprint is a short hash of an item's text: a different one means
// the item was edited.
func fingerprint(text string) string {
	h := fnv.New32a()
	h.Write([]byte(text))
	return strconv.FormatUint(uint64(h.Sum32()), 16)
}
