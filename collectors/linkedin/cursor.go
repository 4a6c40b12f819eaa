package linkedin

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
//	{"v":1,"organization":"2414183","since":1748606400,
//	 "sweep":{"start":1748865600,"offset":50},
//	 "seen":{"urn:li:share:7335000000000000001":{"t":1748851200,
//	   "ids":{"urn:li:share:7335000000000000001":"6b1f0c2a","urn:li:comment:(urn:li:activity:7335000000000000001,7335100000000000001)":"0c9d2e11"}}}}
type state struct {
	V int `json:"v"`
	// Organization is the organization the cursor was made for: a cursor
	// of another organization is ignored.
	Organization string `json:"organization"`
	// Since is the oldest creation time (Unix seconds) of the posts still
	// read: older posts, and their comments, are left alone.
	Since int64 `json:"since"`
	// Sweep is a pass over the posts that a run left unfinished.
	Sweep *sweep `json:"sweep,omitempty"`
	// Seen holds, per post created since Since, the fingerprint of every
	// item (the post, its comments and replies) returned, by URN: an
	// item comes again only when its text changed.
	Seen map[string]*thread `json:"seen,omitempty"`
}

// sweep is a pass over the posts created from Since to Start that a run
// could not finish (it ran out of requests, or was rate limited).
type sweep struct {
	// Start is when the pass began: posts created after it are new, read
	// from the top of the list before the pass carries on.
	Start int64 `json:"start"`
	// Offset is where the pass carries on, as the list's start index.
	// Posts published meanwhile push the others down, so the pass reads
	// some again (their fingerprints keep them from coming twice).
	Offset int `json:"offset,omitempty"`
}

// thread is what was returned of one post and its comments.
type thread struct {
	// T is the post's creation time, Unix seconds.
	T int64 `json:"t"`
	// IDs maps the URN of each item returned to its fingerprint.
	IDs map[string]string `json:"ids"`
}

func parseCursor(s, org string) (state, error) {
	var st state
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		return state{}, fmt.Errorf("decoding cursor: %w", err)
	}
	if st.V != cursorVersion {
		return state{}, fmt.Errorf("cursor version %d, want %d", st.V, cursorVersion)
	}
	if st.Organization != org {
		return state{}, fmt.Errorf("cursor is for another organization")
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
