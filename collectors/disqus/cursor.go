package disqus

import "github.com/earshot/earshot/collectors"

// cursorVersion is bumped when the cursor's meaning changes; a cursor of
// another version is ignored (the next run starts afresh).
const cursorVersion = 1

// state is what the cursor string holds, as JSON:
//
//	{"v":1,"forum":"acmecloud","since":1748779200,"newest":1748862000,
//	 "seen":[{"id":"6712345001","at":1748862000,"h":"9f3c1a2b"}],
//	 "resume":{"since":1748779200,"cursor":"1748860200000000:1:0"}}
//
// The window read again (since, newest, seen) is a [collectors.RereadWindow] of
// posts by ID.
type state struct {
	V int `json:"v"`
	// Forum is the forum the cursor was made for: a cursor of another
	// forum is ignored.
	Forum string `json:"forum"`
	collectors.RereadWindow[string]
	// Resume is where a run that stopped early left its listing.
	Resume *resume `json:"resume,omitempty"`
}

// resume is a listing left unfinished: its since parameter and Disqus's
// cursor for the next page.
type resume struct {
	Since  int64  `json:"since"`
	Cursor string `json:"cursor"`
}

func parseCursor(s, forum string) (state, error) {
	return collectors.DecodeCursorFor(s, cursorVersion, "forum", forum, func(st state) string { return st.Forum })
}

// String encodes the cursor.
func (st state) String() string {
	st.V = cursorVersion
	return collectors.EncodeCursor(st)
}
