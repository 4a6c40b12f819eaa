package wordpress

import (
	"strconv"

	"github.com/earshot/earshot/collectors"
)

// cursorVersion is bumped when the cursor's meaning changes; a cursor of
// another version is ignored (the next run starts afresh).
const cursorVersion = 1

// state is what the cursor string holds, as JSON:
//
//	{"v":1,"site":"blog.acme.test","since":1748779200,"newest":1748862000,
//	 "seen":[{"id":311,"at":1748862000,"h":"9f3c1a2b"}],
//	 "resume":{"after":"2025-06-01T12:00:00","page":11,"from":1748779200}}
//
// The window read again (since, newest, seen) is a [collectors.RereadWindow] of
// comments by ID: those created within reread of the run's clock, or at
// newest, with a hash of their text and author.
type state struct {
	V int `json:"v"`
	// Site is the site the cursor was made for: a cursor of another site
	// is ignored.
	Site string `json:"site"`
	collectors.RereadWindow[int64]
	// Resume is where a run that stopped early (at max_pages, at an
	// error) left its query; the next run carries on from there.
	Resume *resume `json:"resume,omitempty"`
}

// resume is a query left unfinished: its after parameter, the page to ask
// for next, and the window's start.
type resume struct {
	After string `json:"after"`
	Page  int    `json:"page"`
	From  int64  `json:"from"`
}

func parseCursor(s, site string) (state, error) {
	return collectors.DecodeCursorFor(s, cursorVersion, "site", site, func(st state) string { return st.Site })
}

// String encodes the cursor.
func (st state) String() string {
	st.V = cursorVersion
	return collectors.EncodeCursor(st)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
