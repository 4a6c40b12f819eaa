package youtube

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
//	{"v":1,"channel":"UCacmeCloud0000000000001","since":1748606400,
//	 "sweep":{"start":1748865600,"page_token":"QURTSl9p…"},
//	 "seen":{"UgzAcme01":{"t":1748851200,"ids":{"UgzAcme01":"6b1f0c2a","UgzAcme01.AcmeR1":"0c9d2e11"}}}}
type state struct {
	V int `json:"v"`
	// Channel is the channel the cursor was made for: a cursor of another
	// channel is ignored.
	Channel string `json:"channel"`
	// Since is the oldest publication time (Unix seconds) of the
	// top-level comments still read: older threads are left alone.
	Since int64 `json:"since"`
	// Sweep is a pass over the threads that a run left unfinished.
	Sweep *sweep `json:"sweep,omitempty"`
	// Seen holds, per thread started since Since, the fingerprint of
	// every comment (the top-level one and the replies) returned, by ID: a
	// comment comes again only when its text changed.
	Seen map[string]*thread `json:"seen,omitempty"`
}

// sweep is a pass over the threads started from Since to Start that a
// run could not finish (it ran out of requests, or was rate limited).
type sweep struct {
	// Start is when the pass began: threads started after it are new,
	// read from the top of the list before the pass carries on.
	Start int64 `json:"start"`
	// PageToken is the page the pass carries on from; empty: the first.
	PageToken string `json:"page_token,omitempty"`
}

// thread is what was returned of one comment thread.
type thread struct {
	// T is the top-level comment's publication time, Unix seconds.
	T int64 `json:"t"`
	// IDs maps the ID of each comment returned to its fingerprint.
	IDs map[string]string `json:"ids"`
}

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

// thread returns the record of the thread id started at t, making it.
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

// prune forgets the threads started before Since, and those nothing was
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

// fingerprint is a short hash of an comment's text: a different one means
// the comment was edited.
func fingerprint(text string) string {
	h := fnv.New32a()
	h.Write([]byte(text))
	return strconv.FormatUint(uint64(h.Sum32()), 16)
}
