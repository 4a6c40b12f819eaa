package mastodon

import (
	"strconv"
	"time"

	"github.com/earshot/earshot/collectors"
)

// cursorVersion is bumped when the cursor's meaning changes; a cursor of
// another version is ignored (the next run backfills afresh).
const cursorVersion = 1

// maxGaps bounds the gaps a stream remembers; past it the two oldest merge.
const maxGaps = 20

// state is what the cursor string holds, as JSON:
//
//	{"v":1,"streams":{"tag:acme":{"top":"114600000000000100",
//	  "gaps":[{"since":"114590000000000000","max":"114595000000000000"}]}}}
//
// For each stream (a hashtag timeline, the search), Top is the newest
// status ID collected: the next run fetches what is newer. Gaps are spans
// a run did not finish (it ran out of pages or was rate limited), newest
// first: each is still to collect, from just below Max down to just above
// Since, or down to NotBefore (a first run's backfill, which has no ID to
// stop at).
type state struct {
	V       int                    `json:"v"`
	Streams map[string]streamState `json:"streams,omitempty"`
}

type streamState struct {
	Top  string `json:"top,omitempty"`
	Gaps []span `json:"gaps,omitempty"`
}

// span is a range of status IDs to collect: above Since ("" for no lower
// ID) and created at or after NotBefore (zero for no lower time), below
// Max ("" for the newest).
type span struct {
	Since     string    `json:"since,omitempty"`
	NotBefore time.Time `json:"not_before,omitzero"`
	Max       string    `json:"max,omitempty"`
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
		return span{Since: older.Since, NotBefore: older.NotBefore, Max: newer.Max}
	})
}

// compareIDs orders status IDs. Mastodon's are decimal snowflakes of
// varying length; other servers' (GoToSocial's ULIDs, Akkoma's flake IDs)
// have a fixed length and sort as strings. A shorter ID is older.
func compareIDs(a, b string) int {
	switch {
	case len(a) != len(b):
		if len(a) < len(b) {
			return -1
		}
		return 1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// snowflake returns the smallest Mastodon status ID of time t: the
// milliseconds since the Unix epoch, shifted left 16 bits.
func snowflake(t time.Time) string {
	return strconv.FormatInt(t.UnixMilli()<<16, 10)
}

// widen returns an ID just past the second of the Mastodon ID id, for a
// search max_id: Mastodon searches before the second of max_id, which
// would miss the statuses of that second older than id. Non-numeric IDs
// stay as they are.
func widen(id string) string {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < 0 {
		return id
	}
	ms := n >> 16
	return strconv.FormatInt((ms/1000+1)*1000<<16, 10)
}
